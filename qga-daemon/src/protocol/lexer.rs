//! The tokeniser: QEMU's JSON lexer, byte for byte.
//!
//! A state machine over raw bytes. It accepts QEMU's dialect (single-quoted
//! strings, any non-control byte after a backslash, `[a-z]+` as a keyword)
//! and leaves decoding and validation to the parser. After a lexical error
//! it skips bytes until a promising resynchronisation point: a structural
//! character, a control character other than tab, or the impossible bytes
//! 0xFE and 0xFF.

/// Largest number of bytes one token may grow to before it is cut off.
pub(crate) const MAX_TOKEN_SIZE: usize = 64 << 20;

/// The kinds of complete tokens the lexer hands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// `{`
    LCurly,
    /// `}`
    RCurly,
    /// `[`
    LSquare,
    /// `]`
    RSquare,
    /// `:`
    Colon,
    /// `,`
    Comma,
    /// `-?(0|[1-9][0-9]*)`
    Integer,
    /// An integer with a fraction and/or an exponent.
    Float,
    /// `[a-z]+`
    Keyword,
    /// A double- or single-quoted string, quotes included.
    String,
}

impl TokenKind {
    /// Whether the token is one structural byte (its text is not kept).
    pub(crate) fn is_structural(self) -> bool {
        matches!(
            self,
            TokenKind::LCurly
                | TokenKind::RCurly
                | TokenKind::LSquare
                | TokenKind::RSquare
                | TokenKind::Colon
                | TokenKind::Comma
        )
    }
}

/// Where the lexer delivers its output.
pub(crate) trait Sink {
    /// Appends bytes to the token being lexed.
    fn extend(&mut self, bytes: &[u8]);
    /// The token being lexed is complete. Structural tokens are delivered
    /// without any bytes appended.
    fn token(&mut self, kind: TokenKind);
    /// The token being lexed, offending byte included, is a lexical error.
    fn stray(&mut self);
    /// The token being lexed has grown beyond [`MAX_TOKEN_SIZE`].
    fn oversized(&mut self);
    /// Whether output is waiting to be collected (the lexer then pauses).
    fn has_output(&self) -> bool;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum State {
    #[default]
    Start,
    Recovery,
    DqString,
    DqEscape,
    SqString,
    SqEscape,
    Zero,
    Sign,
    Digits,
    Mantissa,
    MantissaDigits,
    ExpE,
    ExpSign,
    ExpDigits,
    Keyword,
}

/// What one byte does in one state.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// Append the byte to the token and move on.
    Shift(State),
    /// Consume the byte outside any token (whitespace, skipped garbage).
    Skip,
    /// A one-byte structural token.
    Structural(TokenKind),
    /// Append the byte (a closing quote); the string is complete.
    CloseString,
    /// The token ended before this byte, which starts afresh.
    EndBefore(TokenKind),
    /// Error recovery ends before this byte, which starts afresh.
    Resync,
    /// Append the byte; the token is a lexical error.
    Error,
}

fn step(state: State, b: u8) -> Step {
    use State::*;
    match state {
        Start => match b {
            b'"' => Step::Shift(DqString),
            b'\'' => Step::Shift(SqString),
            b'0' => Step::Shift(Zero),
            b'1'..=b'9' => Step::Shift(Digits),
            b'-' => Step::Shift(Sign),
            b'{' => Step::Structural(TokenKind::LCurly),
            b'}' => Step::Structural(TokenKind::RCurly),
            b'[' => Step::Structural(TokenKind::LSquare),
            b']' => Step::Structural(TokenKind::RSquare),
            b',' => Step::Structural(TokenKind::Comma),
            b':' => Step::Structural(TokenKind::Colon),
            b'a'..=b'z' => Step::Shift(Keyword),
            b' ' | b'\t' | b'\r' | b'\n' => Step::Skip,
            _ => Step::Error,
        },
        Recovery => match b {
            b'\t' => Step::Skip,
            0x00..=0x1F | 0xFE | 0xFF => Step::Resync,
            b'[' | b']' | b'{' | b'}' | b':' | b',' => Step::Resync,
            _ => Step::Skip,
        },
        DqString => match b {
            b'\\' => Step::Shift(DqEscape),
            b'"' => Step::CloseString,
            0x20..=0xFD => Step::Shift(DqString),
            _ => Step::Error,
        },
        SqString => match b {
            b'\\' => Step::Shift(SqEscape),
            b'\'' => Step::CloseString,
            0x20..=0xFD => Step::Shift(SqString),
            _ => Step::Error,
        },
        DqEscape => match b {
            0x20..=0xFD => Step::Shift(DqString),
            _ => Step::Error,
        },
        SqEscape => match b {
            0x20..=0xFD => Step::Shift(SqString),
            _ => Step::Error,
        },
        Zero => match b {
            b'0'..=b'9' => Step::Error,
            b'.' => Step::Shift(Mantissa),
            _ => Step::EndBefore(TokenKind::Integer),
        },
        Sign => match b {
            b'0' => Step::Shift(Zero),
            b'1'..=b'9' => Step::Shift(Digits),
            _ => Step::Error,
        },
        Digits => match b {
            b'0'..=b'9' => Step::Shift(Digits),
            b'e' | b'E' => Step::Shift(ExpE),
            b'.' => Step::Shift(Mantissa),
            _ => Step::EndBefore(TokenKind::Integer),
        },
        Mantissa => match b {
            b'0'..=b'9' => Step::Shift(MantissaDigits),
            _ => Step::Error,
        },
        MantissaDigits => match b {
            b'0'..=b'9' => Step::Shift(MantissaDigits),
            b'e' | b'E' => Step::Shift(ExpE),
            _ => Step::EndBefore(TokenKind::Float),
        },
        ExpE => match b {
            b'-' | b'+' => Step::Shift(ExpSign),
            b'0'..=b'9' => Step::Shift(ExpDigits),
            _ => Step::Error,
        },
        ExpSign => match b {
            b'0'..=b'9' => Step::Shift(ExpDigits),
            _ => Step::Error,
        },
        ExpDigits => match b {
            b'0'..=b'9' => Step::Shift(ExpDigits),
            _ => Step::EndBefore(TokenKind::Float),
        },
        Keyword => match b {
            b'a'..=b'z' => Step::Shift(Keyword),
            _ => Step::EndBefore(TokenKind::Keyword),
        },
    }
}

/// Length of the leading run of bytes that leave a string state unchanged:
/// anything in 0x20..=0xFD but the quote and the backslash.
fn plain_run(bytes: &[u8], quote: u8) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    const SPACE: u64 = u64::from_ne_bytes([0x20; 8]);
    const FE: u64 = u64::from_ne_bytes([0xFE; 8]);
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH != 0;
    let quotes = u64::from_ne_bytes([quote; 8]);
    let backslashes = u64::from_ne_bytes([b'\\'; 8]);
    let mut n = 0;
    // Eight bytes at a time while none of them is special.
    for word in bytes.chunks_exact(8) {
        let mut lanes = [0u8; 8];
        lanes.copy_from_slice(word);
        let v = u64::from_ne_bytes(lanes);
        let control = v.wrapping_sub(SPACE) & !v & HIGH != 0;
        if control || has_zero(v ^ quotes) || has_zero(v ^ backslashes) || has_zero((v & FE) ^ FE) {
            break;
        }
        n += 8;
    }
    let rest = bytes.get(n..).unwrap_or_default();
    n + rest
        .iter()
        .position(|&b| b == quote || b == b'\\' || !(0x20..=0xFD).contains(&b))
        .unwrap_or(rest.len())
}

/// Length of the leading run of bytes skipped in `state` (whitespace at the
/// start, garbage during recovery).
fn skip_run(bytes: &[u8], state: State) -> usize {
    bytes
        .iter()
        .position(|&b| !matches!(step(state, b), Step::Skip))
        .unwrap_or(bytes.len())
}

/// The lexer's state between chunks of input.
#[derive(Debug, Default)]
pub(crate) struct Lexer {
    state: State,
    /// Bytes in the token being lexed.
    len: usize,
}

impl Lexer {
    /// Whether the lexer is between tokens.
    pub(crate) fn is_between_tokens(&self) -> bool {
        matches!(self.state, State::Start | State::Recovery)
    }

    /// Lexes a prefix of `input` and returns its length: at least one byte
    /// when `input` is not empty, and no further than the first byte after
    /// which the sink has output waiting.
    pub(crate) fn feed<S: Sink>(&mut self, input: &[u8], sink: &mut S) -> usize {
        let mut pos = 0;
        while let Some(rest) = input.get(pos..).filter(|r| !r.is_empty()) {
            pos += self.run(rest, sink);
            if sink.has_output() {
                break;
            }
        }
        pos
    }

    /// Processes the first byte of `rest`, or a longer run of bytes that
    /// cannot produce output. Returns how many bytes were consumed (≥ 1).
    fn run<S: Sink>(&mut self, rest: &[u8], sink: &mut S) -> usize {
        let quote = match self.state {
            State::DqString => Some(b'"'),
            State::SqString => Some(b'\''),
            _ => None,
        };
        if let Some(quote) = quote {
            // Never let the token grow past the point where it is cut off.
            let room = (MAX_TOKEN_SIZE + 1).saturating_sub(self.len);
            let n = plain_run(rest, quote).min(room);
            if n > 0 {
                if let Some(run) = rest.get(..n) {
                    sink.extend(run);
                }
                self.len += n;
                self.check_size(sink);
                return n;
            }
        } else if matches!(self.state, State::Start | State::Recovery) {
            let n = skip_run(rest, self.state);
            if n > 0 {
                return n;
            }
        }
        if let Some(&b) = rest.first() {
            self.byte(b, sink);
        }
        1
    }

    fn byte<S: Sink>(&mut self, b: u8, sink: &mut S) {
        loop {
            match step(self.state, b) {
                Step::Shift(next) => {
                    sink.extend(&[b]);
                    self.len += 1;
                    self.state = next;
                }
                Step::Skip => {}
                Step::Structural(kind) => {
                    sink.token(kind);
                    self.state = State::Start;
                }
                Step::CloseString => {
                    sink.extend(&[b]);
                    sink.token(TokenKind::String);
                    self.len = 0;
                    self.state = State::Start;
                }
                Step::EndBefore(kind) => {
                    sink.token(kind);
                    self.len = 0;
                    self.state = State::Start;
                    continue;
                }
                Step::Resync => {
                    self.state = State::Start;
                    continue;
                }
                Step::Error => {
                    sink.extend(&[b]);
                    sink.stray();
                    self.len = 0;
                    self.state = State::Recovery;
                }
            }
            break;
        }
        self.check_size(sink);
    }

    fn check_size<S: Sink>(&mut self, sink: &mut S) {
        if self.len > MAX_TOKEN_SIZE {
            sink.oversized();
            self.len = 0;
            self.state = State::Start;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records what the lexer delivers, as readable strings.
    #[derive(Default)]
    struct Log {
        token: Vec<u8>,
        out: Vec<String>,
    }

    impl Sink for Log {
        fn extend(&mut self, bytes: &[u8]) {
            self.token.extend_from_slice(bytes);
        }
        fn token(&mut self, kind: TokenKind) {
            let text = String::from_utf8_lossy(&self.token).into_owned();
            self.out.push(format!("{kind:?}({text})"));
            self.token.clear();
        }
        fn stray(&mut self) {
            let text = String::from_utf8_lossy(&self.token).into_owned();
            self.out.push(format!("stray({text})"));
            self.token.clear();
        }
        fn oversized(&mut self) {
            self.out.push(format!("oversized({})", self.token.len()));
            self.token.clear();
        }
        fn has_output(&self) -> bool {
            false
        }
    }

    fn lex(input: &[u8]) -> Vec<String> {
        let mut lexer = Lexer::default();
        let mut log = Log::default();
        let mut pos = 0;
        while pos < input.len() {
            pos += lexer.feed(&input[pos..], &mut log);
        }
        log.out
    }

    #[test]
    fn structural_and_scalars() {
        assert_eq!(
            lex(b"{\"a\": [1, -2.5e3, true]} "),
            [
                "LCurly()",
                "String(\"a\")",
                "Colon()",
                "LSquare()",
                "Integer(1)",
                "Comma()",
                "Float(-2.5e3)",
                "Comma()",
                "Keyword(true)",
                "RSquare()",
                "RCurly()",
            ]
        );
    }

    #[test]
    fn number_needs_a_delimiter() {
        assert!(lex(b"42").is_empty());
        assert_eq!(lex(b"42 "), ["Integer(42)"]);
        assert_eq!(lex(b"0}"), ["Integer(0)", "RCurly()"]);
    }

    #[test]
    fn leading_zero_is_an_error_with_both_digits() {
        assert_eq!(lex(b"01}"), ["stray(01)", "RCurly()"]);
    }

    #[test]
    fn keyword_ends_at_any_other_byte() {
        assert_eq!(
            lex(b"guest-ping}"),
            ["Keyword(guest)", "stray(-p)", "RCurly()"]
        );
        assert_eq!(lex(b"true\xFF"), ["Keyword(true)", "stray(\u{FFFD})"]);
    }

    #[test]
    fn recovery_skips_to_structural_or_control() {
        assert_eq!(lex(b"@abc \t\"x\" 1,"), ["stray(@)", "Comma()"]);
        assert_eq!(lex(b"@abc\n7 "), ["stray(@)", "Integer(7)"]);
        assert_eq!(lex(b"@abc\xFF"), ["stray(@)", "stray(\u{FFFD})"]);
        assert_eq!(lex(b"@x:"), ["stray(@)", "Colon()"]);
    }

    #[test]
    fn strings() {
        assert_eq!(lex(b"'it\\'s'"), ["String('it\\'s')"]);
        assert_eq!(lex(b"\"a'b\""), ["String(\"a'b\")"]);
        assert_eq!(lex(b"\"a\x08b\""), ["stray(\"a\u{8})"]);
        assert_eq!(lex(b"\"a\\\x01"), ["stray(\"a\\\u{1})"]);
        assert_eq!(lex(b"\"\xFF"), ["stray(\"\u{FFFD})"]);
        assert_eq!(lex("\"é\"".as_bytes()), ["String(\"é\")"]);
    }

    #[test]
    fn malformed_numbers() {
        assert_eq!(lex(b"1.x"), ["stray(1.x)"]);
        assert_eq!(lex(b"1e "), ["stray(1e )"]);
        assert_eq!(lex(b"1e+}"), ["stray(1e+})"]);
        assert_eq!(lex(b"-a"), ["stray(-a)"]);
        assert_eq!(lex(b"-0 "), ["Integer(-0)"]);
        assert_eq!(lex(b"1E+05,"), ["Float(1E+05)", "Comma()"]);
    }

    #[test]
    fn nul_and_invalid_bytes() {
        assert_eq!(lex(b"\x00"), ["stray(\u{0})"]);
        assert_eq!(lex(b"A"), ["stray(A)"]);
        assert_eq!(lex(b"\xFF\xFF"), ["stray(\u{FFFD})", "stray(\u{FFFD})"]);
    }

    #[test]
    fn plain_runs_stop_at_every_special_byte() {
        for special in [b'"', b'\\', 0x00, 0x1F, 0xFE, 0xFF] {
            for at in 0..20 {
                let mut bytes = vec![b'A'; 24];
                bytes[at] = special;
                assert_eq!(plain_run(&bytes, b'"'), at, "{special:#x} at {at}");
            }
        }
        for ordinary in [b' ', b'\'', 0x7F, 0x80, 0xC3, 0xFD] {
            let bytes = vec![ordinary; 19];
            assert_eq!(plain_run(&bytes, b'"'), 19, "{ordinary:#x}");
        }
        assert_eq!(plain_run(b"abc'def", b'\''), 3);
    }

    #[test]
    fn oversized_token_is_cut_at_the_limit() {
        let mut input = b"\"".to_vec();
        input.resize(MAX_TOKEN_SIZE + 10, b'A');
        input.extend_from_slice(b"\"}");
        let out = lex(&input);
        assert_eq!(
            out,
            [
                format!("oversized({})", MAX_TOKEN_SIZE + 1),
                "stray(A)".to_owned(),
                "RCurly()".to_owned(),
            ]
        );
    }
}
