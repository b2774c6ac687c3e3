//! POSIX `TZ` rule strings (`CET-1CEST,M3.5.0,M10.5.0/3`), as found in the
//! footer of TZif files and in the `TZ` variable.

/// A local time type: UTC offset (seconds east) and abbreviation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalType {
    /// Seconds east of UTC.
    pub utc_offset: i32,
    /// Abbreviation (`CET`, `CEST`, `UTC`, `+03`).
    pub abbreviation: String,
    /// Whether it is daylight-saving time.
    pub is_dst: bool,
}

/// The day a DST change happens on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Day {
    /// `Jn`: day 1-365, February 29 never counted.
    Julian1(u16),
    /// `n`: day 0-365, February 29 counted.
    Julian0(u16),
    /// `Mm.w.d`: day `d` (0 Sunday) of week `w` (5 = last) of month `m`.
    Weekday(u8, u8, u8),
}

/// When a change happens: a day and the local time of day in seconds.
type Change = (Day, i32);

/// A parsed rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PosixTz {
    std: LocalType,
    dst: Option<(LocalType, Change, Change)>,
}

struct Cursor<'a> {
    s: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.at).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        if hit {
            self.at += 1;
        }
        hit
    }

    fn number(&mut self, max_digits: usize) -> Option<u32> {
        let start = self.at;
        while self.at - start < max_digits && self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        std::str::from_utf8(self.s.get(start..self.at)?)
            .ok()?
            .parse()
            .ok()
    }

    fn name(&mut self) -> Option<String> {
        let start = self.at;
        let text = if self.eat(b'<') {
            while self.peek().is_some_and(|b| b != b'>') {
                self.at += 1;
            }
            let text = self.s.get(start + 1..self.at)?;
            if !self.eat(b'>') {
                return None;
            }
            text
        } else {
            while self.peek().is_some_and(|b| b.is_ascii_alphabetic()) {
                self.at += 1;
            }
            self.s.get(start..self.at)?
        };
        (text.len() >= 3).then(|| String::from_utf8_lossy(text).into_owned())
    }

    /// `[+-]hh[:mm[:ss]]` in seconds; hours up to 167.
    fn time(&mut self) -> Option<i32> {
        let sign = if self.eat(b'-') {
            -1
        } else {
            self.eat(b'+');
            1
        };
        let hours = self.number(3).filter(|h| *h <= 167)?;
        let mut secs = i64::from(hours) * 3600;
        if self.eat(b':') {
            secs += i64::from(self.number(2).filter(|m| *m < 60)?) * 60;
            if self.eat(b':') {
                secs += i64::from(self.number(2).filter(|s| *s < 60)?);
            }
        }
        i32::try_from(secs).ok().map(|s| s * sign)
    }

    fn day(&mut self) -> Option<Day> {
        if self.eat(b'J') {
            let n = self.number(3).filter(|n| (1..=365).contains(n))?;
            return Some(Day::Julian1(u16::try_from(n).ok()?));
        }
        if self.eat(b'M') {
            let m = self.number(2).filter(|m| (1..=12).contains(m))?;
            self.eat(b'.').then_some(())?;
            let w = self.number(1).filter(|w| (1..=5).contains(w))?;
            self.eat(b'.').then_some(())?;
            let d = self.number(1).filter(|d| *d <= 6)?;
            return Some(Day::Weekday(m as u8, w as u8, d as u8));
        }
        let n = self.number(3).filter(|n| *n <= 365)?;
        Some(Day::Julian0(u16::try_from(n).ok()?))
    }

    fn rule(&mut self) -> Option<(Day, i32)> {
        let day = self.day()?;
        let time = if self.eat(b'/') { self.time()? } else { 7200 };
        Some((day, time))
    }
}

/// Parses a POSIX TZ string; `None` if it is not one.
pub fn parse(text: &str) -> Option<PosixTz> {
    let mut c = Cursor {
        s: text.as_bytes(),
        at: 0,
    };
    let std_name = c.name()?;
    let std_offset = -c.time()?;
    let std = LocalType {
        utc_offset: std_offset,
        abbreviation: std_name,
        is_dst: false,
    };
    if c.peek().is_none() {
        return Some(PosixTz { std, dst: None });
    }
    let dst_name = c.name()?;
    let dst_offset = match c.peek() {
        Some(b',') | None => std_offset + 3600,
        _ => -c.time()?,
    };
    // Without rules, POSIX leaves the dates to the implementation; the
    // usual default is the US rule.
    let (start, end) = if c.eat(b',') {
        let start = c.rule()?;
        c.eat(b',').then_some(())?;
        (start, c.rule()?)
    } else {
        (
            (Day::Weekday(3, 2, 0), 7200),
            (Day::Weekday(11, 1, 0), 7200),
        )
    };
    if c.peek().is_some() {
        return None;
    }
    let dst = LocalType {
        utc_offset: dst_offset,
        abbreviation: dst_name,
        is_dst: true,
    };
    Some(PosixTz {
        std,
        dst: Some((dst, start, end)),
    })
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The year of a day number (inverse of [`days_from_civil`]).
fn year_of(days: i64) -> i64 {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let year = yoe + era * 400;
    if mp >= 10 {
        year + 1
    } else {
        year
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn month_len(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The day number (since the epoch) of `day` in `year`.
fn day_in_year(year: i64, day: Day) -> i64 {
    let jan1 = days_from_civil(year, 1, 1);
    match day {
        Day::Julian1(n) => {
            let n = i64::from(n);
            jan1 + n - 1 + i64::from(is_leap(year) && n >= 60)
        }
        Day::Julian0(n) => jan1 + i64::from(n),
        Day::Weekday(m, w, d) => {
            let m = u32::from(m);
            let first = days_from_civil(year, m, 1);
            let weekday = (first + 4).rem_euclid(7);
            let mut mday = 1 + (i64::from(d) - weekday).rem_euclid(7) + (i64::from(w) - 1) * 7;
            while mday > i64::from(month_len(year, m)) {
                mday -= 7;
            }
            first + mday - 1
        }
    }
}

impl PosixTz {
    /// The local time type in force at `utc` (seconds since the epoch).
    pub fn local_type(&self, utc: i64) -> &LocalType {
        let Some((dst, (start_day, start_time), (end_day, end_time))) = &self.dst else {
            return &self.std;
        };
        let year = year_of((utc + i64::from(self.std.utc_offset)).div_euclid(86_400));
        let start = day_in_year(year, *start_day) * 86_400 + i64::from(*start_time)
            - i64::from(self.std.utc_offset);
        let end =
            day_in_year(year, *end_day) * 86_400 + i64::from(*end_time) - i64::from(dst.utc_offset);
        let in_dst = if start < end {
            start <= utc && utc < end
        } else {
            !(end <= utc && utc < start)
        };
        if in_dst {
            dst
        } else {
            &self.std
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i64, mo: u32, d: u32, h: i64) -> i64 {
        days_from_civil(y, mo, d) * 86_400 + h * 3600
    }

    #[test]
    fn civil_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(year_of(days_from_civil(2024, 12, 31)), 2024);
        assert_eq!(year_of(days_from_civil(2025, 1, 1)), 2025);
        assert_eq!(year_of(-1), 1969);
    }

    #[test]
    fn europe() {
        let tz = parse("CET-1CEST,M3.5.0,M10.5.0/3").unwrap();
        // 2024: DST from March 31 01:00 UTC to October 27 01:00 UTC.
        assert_eq!(tz.local_type(at(2024, 1, 15, 12)).abbreviation, "CET");
        assert_eq!(tz.local_type(at(2024, 1, 15, 12)).utc_offset, 3600);
        assert_eq!(tz.local_type(at(2024, 3, 31, 0)).abbreviation, "CET");
        let summer = tz.local_type(at(2024, 3, 31, 1));
        assert_eq!(
            (
                summer.abbreviation.as_str(),
                summer.utc_offset,
                summer.is_dst
            ),
            ("CEST", 7200, true)
        );
        assert_eq!(tz.local_type(at(2024, 10, 27, 0)).abbreviation, "CEST");
        assert_eq!(tz.local_type(at(2024, 10, 27, 1)).abbreviation, "CET");
    }

    #[test]
    fn southern_and_quoted() {
        let tz = parse("<-03>3").unwrap();
        assert_eq!(tz.local_type(0).utc_offset, -10_800);
        assert_eq!(tz.local_type(0).abbreviation, "-03");
        let nz = parse("NZST-12NZDT,M9.5.0,M4.1.0/3").unwrap();
        assert_eq!(nz.local_type(at(2024, 1, 10, 0)).abbreviation, "NZDT");
        assert_eq!(nz.local_type(at(2024, 7, 10, 0)).abbreviation, "NZST");
        let us = parse("EST5EDT").unwrap();
        assert_eq!(us.local_type(at(2024, 7, 1, 12)).utc_offset, -4 * 3600);
        let j = parse("XXX0YYY,J60/0,J300").unwrap();
        assert_eq!(j.local_type(at(2023, 3, 1, 1)).abbreviation, "YYY");
        assert_eq!(j.local_type(at(2023, 2, 28, 23)).abbreviation, "XXX");
    }

    #[test]
    fn rejects_garbage() {
        for bad in [
            "",
            "U",
            "UTC",
            "UTC+",
            "CET-1CEST,M13.1.0,M1.1.0",
            "A<B",
            "UTC0x",
            "CET-1CEST,M3.5.0",
        ] {
            assert!(parse(bad).is_none(), "{bad}");
        }
        assert_eq!(parse("UTC0").unwrap().local_type(123).utc_offset, 0);
        assert_eq!(parse("IST-5:30").unwrap().local_type(0).utc_offset, 19_800);
    }
}
