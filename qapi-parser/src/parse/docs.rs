//! Collecting a `##` documentation block and handing it to the block
//! parser, with QEMU's order of errors.
//!
//! QEMU parses a block line by line as it reads it, so an error in a line
//! beats a problem with a later token (a missing or malformed closing `##`,
//! a bad token); the token after the closing `##` is read before the
//! block's final check ("text required after ..."), so a bad token there
//! beats that check.

use crate::diag::Error;
use crate::doc::{check_unterminated_lines, parse_lines, DocBlock, DocLine};
use crate::Options;

use super::lexer::{Lexer, Tok, Token};

/// Read the doc block opened by comment token `open` (a comment starting
/// with `##`). Returns the block and the token after it.
///
/// In compatibility mode, a `##` comment that cannot open or that does not
/// close a block (schemas older than doc comments have such lines) is
/// taken as a plain comment: the result is `None` and reading goes on.
pub(crate) fn read_block(
    lx: &mut Lexer,
    open: Token,
    opts: &Options,
) -> Result<(Option<DocBlock>, Token), Error> {
    if lx.slice(open) != "##" {
        if opts.compat {
            return Ok((None, lx.next(true)?));
        }
        return Err(lx.error_at(open, "junk after '##' at start of documentation comment"));
    }
    let start = lx.info_at(open.start);
    // The lines borrow from the file's text, not from the lexer.
    let file = lx.file().clone();
    let mut lines = Vec::with_capacity(32);
    let end = loop {
        let tok = match lx.next(false) {
            Ok(tok) => tok,
            // QEMU has parsed the lines before it meets a bad token.
            Err(err) => return Err(check_unterminated_lines(&start, &lines, opts).unwrap_or(err)),
        };
        if tok.kind != Tok::Comment {
            break Err(tok);
        }
        let (line, col) = lx.locate(tok.start);
        let comment = DocLine {
            text: file.text.get(tok.start..tok.end).unwrap_or_default(),
            line,
            col,
        };
        if comment.text.starts_with("##") {
            break Ok(comment);
        }
        lines.push(comment);
    };
    match end {
        Ok(end) => {
            let next = lx.next(true);
            match parse_lines(&start, &lines, &end, opts) {
                Ok(doc) => Ok((Some(doc), next?)),
                Err(err) if is_final_check(&err) => Err(next.err().unwrap_or(err)),
                Err(err) => Err(err),
            }
        }
        Err(tok) => {
            if let Some(err) = check_unterminated_lines(&start, &lines, opts) {
                return Err(err);
            }
            if opts.compat {
                return Ok((None, tok));
            }
            Err(lx.error_at(tok, "documentation comment must end with '##'"))
        }
    }
}

/// Whether `err` comes from the check QEMU makes after the whole block and
/// the token following it were read.
fn is_final_check(err: &Error) -> bool {
    err.col.is_none() && err.msg.starts_with("text required after '")
}
