//! Collecting a `##` documentation block and handing it to the block
//! parser, with QEMU's order of errors.
//!
//! QEMU parses a block line by line as it reads it, so an error in a line
//! beats a problem with a later token (a missing or malformed closing `##`,
//! a bad token); the token after the closing `##` is read before the
//! block's final check ("text required after ..."), so a bad token there
//! beats that check.

use crate::diag::Error;
use crate::doc::{parse_block, DocBlock, DocToken};
use crate::Options;

use super::lexer::{Lexer, Tok, Token};

/// Read the doc block opened by comment token `open` (a comment starting
/// with `##`). Returns the block and the token after it.
pub(crate) fn read_block(
    lx: &mut Lexer,
    open: Token,
    opts: &Options,
) -> Result<(DocBlock, Token), Error> {
    if lx.slice(open) != "##" {
        return Err(lx.error_at(open, "junk after '##' at start of documentation comment"));
    }
    let start = lx.info_at(open.start);
    let mut lines = Vec::new();
    let end = loop {
        let tok = match lx.next(false) {
            Ok(tok) => tok,
            Err(err) => break Err(err),
        };
        if tok.kind != Tok::Comment {
            break Err(lx.error_at(tok, "documentation comment must end with '##'"));
        }
        let (line, col) = lx.locate(tok.start);
        let text = lx.slice(tok);
        if text.starts_with("##") {
            if text == "##" {
                break Ok(DocToken {
                    text: text.to_string(),
                    line,
                    col,
                });
            }
            break Err(lx.error_at(tok, "junk after '##' at end of documentation comment"));
        }
        lines.push(DocToken {
            text: text.to_string(),
            line,
            col,
        });
    };
    match end {
        Ok(end) => {
            let next = lx.next(true);
            match parse_block(&start, &lines, &end, opts) {
                Ok(doc) => Ok((doc, next?)),
                Err(err) if is_final_check(&err) => Err(next.err().unwrap_or(err)),
                Err(err) => Err(err),
            }
        }
        Err(problem) => {
            let (line, col) = problem
                .span
                .map_or((problem_line(&problem), 1), |s| (s.line, s.col));
            let end = DocToken {
                text: "##".to_string(),
                line,
                col,
            };
            match parse_block(&start, &lines, &end, opts) {
                Err(err) if err_line(&err) < line => Err(err),
                _ => Err(problem),
            }
        }
    }
}

/// Whether `err` comes from the check QEMU makes after the whole block and
/// the token following it were read.
fn is_final_check(err: &Error) -> bool {
    err.col.is_none() && err.msg.starts_with("text required after '")
}

fn err_line(err: &Error) -> u32 {
    err.info.as_ref().map_or(u32::MAX, |i| i.line)
}

fn problem_line(err: &Error) -> u32 {
    err.info.as_ref().map_or(0, |i| i.line)
}
