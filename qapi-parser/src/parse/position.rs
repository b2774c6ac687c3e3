//! Byte offsets → line and QEMU column, in linear time overall.

use crate::source::Span;

/// Remembers the last place located, so that locating places in increasing
/// order costs time proportional to the distance walked, not to the
/// length of the line or the file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tracker {
    pos: usize,
    line: u32,
    col: u32,
}

impl Default for Tracker {
    fn default() -> Self {
        Tracker {
            pos: 0,
            line: 1,
            col: 1,
        }
    }
}

impl Tracker {
    /// Line and column (QEMU's tab arithmetic, counted in characters) of
    /// byte offset `target` of `text`. Going backwards restarts from the
    /// beginning of the file, which only happens on error paths.
    pub(crate) fn locate(&mut self, text: &str, target: usize) -> (u32, u32) {
        let bytes = text.as_bytes();
        let target = target.min(bytes.len());
        if target < self.pos {
            *self = Tracker::default();
        }
        let walked = bytes.get(self.pos..target).unwrap_or_default();
        if let Some(last_nl) = walked.iter().rposition(|&b| b == b'\n') {
            let count = walked.iter().filter(|&&b| b == b'\n').count();
            let count = u32::try_from(count).unwrap_or(u32::MAX);
            self.line = self.line.saturating_add(count);
            self.col = 1;
            self.pos += last_nl + 1;
        }
        for &b in bytes.get(self.pos..target).unwrap_or_default() {
            if b == b'\t' {
                self.col = (self.col + 7) % 8 + 1;
            } else if b & 0xc0 != 0x80 {
                self.col = self.col.saturating_add(1);
            }
        }
        self.pos = target;
        (self.line, self.col)
    }

    /// The span `start..end` of `text`, located.
    pub(crate) fn span(&mut self, text: &str, start: usize, end: usize) -> Span {
        let (line, col) = self.locate(text, start);
        Span {
            start: to_u32(start),
            end: to_u32(end),
            line,
            col,
        }
    }
}

/// A byte offset as stored in a [`Span`] (files over 4 GiB saturate).
pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::column_of;

    #[test]
    fn agrees_with_column_of_in_any_order() {
        let text = "a\tb\n\té x\n\n  yz\t\tw\n";
        let mut fwd = Tracker::default();
        let mut back = Tracker::default();
        let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        for (n, &off) in offsets.iter().enumerate() {
            let line_start = text[..off].rfind('\n').map_or(0, |i| i + 1);
            let line = 1 + text[..off].matches('\n').count() as u32;
            let want = (line, column_of(&text[line_start..off]));
            assert_eq!(fwd.locate(text, off), want, "forward at {off}");
            let rev = offsets[offsets.len() - 1 - n];
            let line_start = text[..rev].rfind('\n').map_or(0, |i| i + 1);
            let line = 1 + text[..rev].matches('\n').count() as u32;
            let want = (line, column_of(&text[line_start..rev]));
            assert_eq!(back.locate(text, rev), want, "backward at {rev}");
        }
    }
}
