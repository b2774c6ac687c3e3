//! The streamer: QEMU's json-streamer.
//!
//! Collects the tokens of one top-level value, counting open braces and
//! brackets. When the count drops back to zero (or never rose above it,
//! for a scalar, or went negative) the tokens are parsed and the result is
//! queued as an [`Event`]. It also enforces QEMU's limits on one request;
//! hitting one, like a lexical error, discards everything collected so far.

use std::collections::VecDeque;

use super::error::ReadError;
use super::lexer::{Sink, TokenKind, MAX_TOKEN_SIZE};
use super::parser;
use super::reader::Event;
use super::utf8;

/// Most tokens one request may have.
const MAX_TOKEN_COUNT: usize = 2 << 20;
/// Deepest nesting of objects and arrays one request may have.
const MAX_NESTING: i64 = 1 << 10;
/// Buffers grown beyond this are released after each request.
const KEEP_CAPACITY: usize = 1 << 20;

/// One complete token of the request being collected. The text of
/// non-structural tokens is `text[start..end]` of the [`Streamer`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    pub(crate) kind: TokenKind,
    pub(crate) start: u32,
    pub(crate) end: u32,
}

/// Collects tokens into requests; see the module documentation.
#[derive(Debug, Default)]
pub(crate) struct Streamer {
    /// Text of the kept tokens, then of the token being lexed.
    text: Vec<u8>,
    /// Where the token being lexed starts in `text`.
    current: usize,
    tokens: Vec<Token>,
    /// Total size of the kept tokens, structural ones included.
    token_size: usize,
    braces: i64,
    brackets: i64,
    events: VecDeque<Event>,
}

impl Streamer {
    /// Takes the oldest queued event.
    pub(crate) fn pop_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// Whether no tokens of an unfinished request are held.
    pub(crate) fn is_empty(&self) -> bool {
        self.tokens.is_empty() && self.text.is_empty()
    }

    /// Bytes held for the unfinished request.
    pub(crate) fn held_bytes(&self) -> usize {
        self.text.len() + self.tokens.len() * std::mem::size_of::<Token>()
    }

    fn emit(&mut self, event: Event) {
        self.events.push_back(event);
        self.reset();
    }

    fn fail(&mut self, error: ReadError) {
        self.emit(Event::Error(error));
    }

    fn reset(&mut self) {
        self.braces = 0;
        self.brackets = 0;
        self.token_size = 0;
        self.current = 0;
        if self.text.capacity() > KEEP_CAPACITY {
            self.text = Vec::new();
        } else {
            self.text.clear();
        }
        if self.tokens.capacity() * std::mem::size_of::<Token>() > KEEP_CAPACITY {
            self.tokens = Vec::new();
        } else {
            self.tokens.clear();
        }
    }
}

/// Converts a position in the token text; the lexer and the size limit
/// keep it far below `u32::MAX`.
fn position(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Sink for Streamer {
    fn extend(&mut self, bytes: &[u8]) {
        self.text.extend_from_slice(bytes);
    }

    fn token(&mut self, kind: TokenKind) {
        match kind {
            TokenKind::LCurly => self.braces += 1,
            TokenKind::RCurly => self.braces -= 1,
            TokenKind::LSquare => self.brackets += 1,
            TokenKind::RSquare => self.brackets -= 1,
            _ => {}
        }
        let len = if kind.is_structural() {
            1
        } else {
            self.text.len().saturating_sub(self.current)
        };
        if self.token_size + len + 1 > MAX_TOKEN_SIZE {
            return self.fail(ReadError::TokenSizeLimit);
        }
        if self.tokens.len() + 1 > MAX_TOKEN_COUNT {
            return self.fail(ReadError::TokenCountLimit);
        }
        if self.braces + self.brackets > MAX_NESTING {
            return self.fail(ReadError::NestingLimit);
        }
        self.tokens.push(Token {
            kind,
            start: position(self.current),
            end: position(self.text.len()),
        });
        self.token_size += len;
        self.current = self.text.len();
        if (self.braces > 0 || self.brackets > 0) && self.braces >= 0 && self.brackets >= 0 {
            return;
        }
        let event = match parser::parse(&self.tokens, &self.text) {
            Ok(value) => Event::Value(value),
            Err(error) => Event::Error(error),
        };
        self.emit(event);
    }

    fn stray(&mut self) {
        let token = self.text.get(self.current..).unwrap_or_default();
        let rendered = utf8::lossy(token);
        self.fail(ReadError::Stray(rendered));
    }

    fn oversized(&mut self) {
        self.fail(ReadError::TokenSizeLimit);
    }

    fn has_output(&self) -> bool {
        !self.events.is_empty()
    }
}
