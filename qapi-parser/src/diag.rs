//! The one error type of the front end.
//!
//! `Display` renders QEMU's exact text, so golden files compare byte for
//! byte with QEMU's `.err` files. [`Error::render_rich`] adds the source line
//! and a caret for people at a terminal.

use std::fmt;

use crate::source::{Info, Span};

/// A schema error with its location.
#[derive(Debug, Clone)]
pub struct Error {
    /// Where; `None` for errors about no particular place (an unreadable
    /// root file).
    pub info: Option<Info>,
    /// Column, printed only for parse errors (`FILE:LINE:COL: msg`).
    pub col: Option<u32>,
    /// The message; may span several lines.
    pub msg: String,
    /// The precise spot, when known, for the rich renderer. QEMU's text
    /// format never shows it.
    pub span: Option<Span>,
    /// Further located messages printed after this one, each on its own
    /// lines (QEMU's "previous definition" block).
    pub notes: Vec<Error>,
}

impl Error {
    /// A semantic error: `FILE:LINE: msg` (with the definition context the
    /// info carries).
    pub fn sem(info: &Info, msg: impl Into<String>) -> Self {
        Error {
            info: Some(info.clone()),
            col: None,
            msg: msg.into(),
            span: None,
            notes: Vec::new(),
        }
    }

    /// A parse error: `FILE:LINE:COL: msg`.
    pub fn parse(info: &Info, col: u32, msg: impl Into<String>) -> Self {
        Error {
            info: Some(info.clone()),
            col: Some(col),
            msg: msg.into(),
            span: None,
            notes: Vec::new(),
        }
    }

    /// An error with no location at all.
    pub fn bare(msg: impl Into<String>) -> Self {
        Error {
            info: None,
            col: None,
            msg: msg.into(),
            span: None,
            notes: Vec::new(),
        }
    }

    /// Attach the precise spot for the rich renderer.
    pub fn with_span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// Append a note block (printed after the message).
    pub fn with_note(mut self, note: Error) -> Self {
        self.notes.push(note);
        self
    }

    /// Render with the offending source line and a caret under the spot.
    pub fn render_rich(&self, color: bool) -> String {
        crate::render::rich(self, color)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.info {
            None => write!(f, "{}", self.msg)?,
            Some(info) => {
                write!(f, "{info}")?;
                if let Some(col) = self.col {
                    write!(f, ":{col}")?;
                }
                write!(f, ": {}", self.msg)?;
            }
        }
        for note in &self.notes {
            write!(f, "\n{note}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Every error found, in the order QEMU would meet them. QEMU stops at the
/// first one; `first()` is that one.
#[derive(Debug, Clone, Default)]
pub struct Errors(pub Vec<Error>);

impl Errors {
    /// The error QEMU would report.
    pub fn first(&self) -> Option<&Error> {
        self.0.first()
    }
}

impl From<Error> for Errors {
    fn from(e: Error) -> Self {
        Errors(vec![e])
    }
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.first() {
            Some(e) => write!(f, "{e}"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for Errors {}
