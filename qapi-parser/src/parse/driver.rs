//! The top level of pass 1: files read one top-level item at a time,
//! include directives followed depth-first (with an explicit stack of open
//! files), pragmas applied, doc blocks placed.

use crate::hash::HashSet;
use std::path::Path;
use std::sync::Arc;

use crate::diag::Error;
use crate::doc::DocBlock;
use crate::source::{Info, SourceFile};
use crate::syntax::Value;
use crate::Options;

use super::lexer::{Lexer, Tok, Token};
use super::paths::{abspath, dirname, join};
use super::text::{decode, strerror};
use super::{docs, pragma, values};
use super::{Parsed, Pragma, SourceLoader, TopExpr};

/// The deepest chain of nested includes accepted. (QEMU itself fails with
/// a Python recursion error at about 300.)
const INCLUDE_LIMIT: usize = 256;

/// Parse the schema rooted at `path`.
pub(crate) fn run(path: &str, loader: &dyn SourceLoader, opts: &Options) -> Result<Parsed, Error> {
    let cwd = std::env::current_dir()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "/".to_string());
    let mut reader = Context {
        loader,
        opts,
        included: HashSet::default(),
        out: Parsed {
            files: Vec::new(),
            exprs: Vec::new(),
            docs: Vec::new(),
            pragma: Pragma::default(),
        },
        cwd,
    };
    reader.included.insert(abspath(path, &reader.cwd));
    let bytes = loader
        .load(Path::new(path))
        .map_err(|e| Error::bare(format!("can't read schema file '{path}': {}", strerror(&e))))?;
    let root = reader.open(path, &bytes, None)?;
    let mut stack = vec![root];
    while let Some(top) = stack.last_mut() {
        match reader.step(top)? {
            Step::Next => {}
            Step::Enter(child) => stack.push(child),
            Step::Done => {
                stack.pop();
            }
        }
    }
    Ok(reader.out)
}

/// What reading one item led to.
enum Step {
    /// Go on in the same file.
    Next,
    /// Read this included file first.
    Enter(OpenFile),
    /// The file is finished.
    Done,
}

/// A file being read.
struct OpenFile {
    lexer: Lexer,
    /// The next token (already read: QEMU reads one token ahead).
    tok: Token,
    /// The doc block just read, waiting for the item it documents.
    doc: Option<Arc<DocBlock>>,
}

/// The state shared by all files of the schema.
struct Context<'a> {
    loader: &'a dyn SourceLoader,
    opts: &'a Options,
    /// Absolute normalised paths of every file opened so far.
    included: HashSet<String>,
    out: Parsed,
    cwd: String,
}

impl Context<'_> {
    /// Start reading a file whose bytes have been loaded.
    fn open(
        &mut self,
        path: &str,
        bytes: &[u8],
        included_from: Option<Info>,
    ) -> Result<OpenFile, Error> {
        let text = decode(bytes, path, included_from.clone())?;
        let file = Arc::new(SourceFile {
            path: path.to_string(),
            text: Arc::from(text),
            included_from,
        });
        self.out.files.push(file.clone());
        let mut lexer = Lexer::new(file, self.opts.compat);
        let tok = lexer.next(true)?;
        Ok(OpenFile {
            lexer,
            tok,
            doc: None,
        })
    }

    /// Read the next item of `file`.
    fn step(&mut self, file: &mut OpenFile) -> Result<Step, Error> {
        let tok = file.tok;
        match tok.kind {
            Tok::Eof => {
                self.reject_symbol_doc(file.doc.as_deref())?;
                return Ok(Step::Done);
            }
            Tok::Comment => {
                self.reject_symbol_doc(file.doc.as_deref())?;
                let (doc, next) = docs::read_block(&mut file.lexer, tok, self.opts)?;
                file.tok = next;
                if let Some(doc) = doc {
                    let doc = Arc::new(doc);
                    self.out.docs.push(doc.clone());
                    file.doc = Some(doc);
                }
                return Ok(Step::Next);
            }
            _ => {}
        }
        let info = file.lexer.info_at(tok.start);
        let (value, next) = values::read_value(&mut file.lexer, tok)?;
        file.tok = next;
        let doc = file.doc.take();
        let Some(members) = value.as_object() else {
            let msg = "top-level expression must be an object";
            return Err(Error::sem(&info, msg).with_span(value.span));
        };
        if members.iter().any(|(k, _)| k.name == "include") {
            self.reject_symbol_doc(doc.as_deref())?;
            return self.include(&value, info);
        }
        if members.iter().any(|(k, _)| k.name == "pragma") {
            self.reject_symbol_doc(doc.as_deref())?;
            if members.len() != 1 {
                return Err(Error::sem(&info, "invalid 'pragma' directive").with_span(value.span));
            }
            let settings = value
                .get("pragma")
                .and_then(Value::as_object)
                .ok_or_else(|| {
                    Error::sem(&info, "value of 'pragma' must be an object").with_span(value.span)
                })?;
            for (name, setting) in settings {
                let compat = self.opts.compat;
                pragma::apply(&mut self.out.pragma, &name.name, setting, &info, compat)?;
            }
            return Ok(Step::Next);
        }
        if let Some(doc) = &doc {
            if doc.symbol.is_none() && !self.opts.compat {
                return Err(Error::sem(&doc.info, "definition documentation required"));
            }
        }
        self.out.exprs.push(TopExpr::Expr { value, info, doc });
        Ok(Step::Next)
    }

    /// QEMU's rule that a definition's doc block is directly followed by
    /// the definition (not enforced in compatibility mode, where such a
    /// block is simply not attached).
    fn reject_symbol_doc(&self, doc: Option<&DocBlock>) -> Result<(), Error> {
        match doc.and_then(|d| d.symbol.as_ref().map(|s| (d, s))) {
            Some((doc, symbol)) if !self.opts.compat => Err(Error::sem(
                &doc.info,
                format!("documentation for '{symbol}' is not followed by the definition"),
            )),
            _ => Ok(()),
        }
    }

    /// Handle include directive `value` at `info`.
    fn include(&mut self, value: &Value, info: Info) -> Result<Step, Error> {
        let sem = |msg: String| Error::sem(&info, msg).with_span(value.span);
        if value.as_object().map_or(0, <[_]>::len) != 1 {
            return Err(sem("invalid 'include' directive".to_string()));
        }
        let Some(include) = value.get("include").and_then(Value::as_str) else {
            return Err(sem("value of 'include' must be a string".to_string()));
        };
        let path = join(dirname(&info.file.path), include);
        self.out.exprs.push(TopExpr::Include {
            path: path.clone(),
            info: info.clone(),
        });
        let abs = abspath(&path, &self.cwd);
        let mut ancestor = Some(info.clone());
        let mut depth = 0;
        while let Some(at) = ancestor {
            if abspath(&at.file.path, &self.cwd) == abs {
                return Err(sem(format!("inclusion loop for {include}")));
            }
            depth += 1;
            ancestor = at.file.included_from.clone();
        }
        if depth >= INCLUDE_LIMIT {
            return Err(sem(format!(
                "includes nest too deep (limit {INCLUDE_LIMIT})"
            )));
        }
        if !self.included.insert(abs) {
            return Ok(Step::Next);
        }
        let bytes = self.loader.load(Path::new(&path)).map_err(|e| {
            sem(format!(
                "can't read include file '{path}': {}",
                strerror(&e)
            ))
        })?;
        let child = self.open(&path, &bytes, Some(info))?;
        Ok(Step::Enter(child))
    }
}
