//! Timestamps in ticket exports: ISO 8601 / RFC 3339 by default, or a strftime-style format
//! (`%d/%m/%Y %H:%M`, Jira's `%d/%b/%y %I:%M %p`). Parsing is hand-written because it runs
//! once or more per row of exports with millions of rows; it yields whole minutes (seconds
//! and fractions are dropped: clocks count integer minutes).
//!
//! A timestamp without an offset is read in the source's `timezone`; converting it goes
//! through jiff once per local hour, then a cache.

use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use super::clock::Minute;

/// Days from 1970-01-01 to the civil date (proleptic Gregorian; Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// A parsed timestamp: local minutes since 1970-01-01T00:00 and the offset, when written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parsed {
    /// Wall-clock minutes as if the time were UTC.
    pub local: Minute,
    /// The written offset in minutes east of UTC.
    pub offset: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Item {
    Literal(u8),
    Space,
    Year4,
    Year2,
    Month,
    MonthName,
    Day,
    Hour24,
    Hour12,
    Minute,
    Second,
    Fraction,
    AmPm,
    Offset,
}

/// How to read one source's timestamps.
#[derive(Debug, Clone)]
pub struct Format {
    items: Option<Vec<Item>>,
}

const MONTHS: [&[u8; 3]; 12] = [
    b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec",
];

impl Format {
    /// ISO 8601 / RFC 3339: `2026-03-02T09:15:00Z`, `2026-03-02 09:15`, with or without
    /// seconds, fraction and offset.
    pub fn iso() -> Format {
        Format { items: None }
    }

    /// A strftime-style format. Supported: `%Y %y %m %d %e %H %I %M %S %f %p %b %z %:z %%`
    /// (`%m`, `%d`, `%H`, `%I` accept one or two digits), `%T` (`%H:%M:%S`), `%F`
    /// (`%Y-%m-%d`); other characters match themselves, a space matches any run of spaces.
    pub fn strftime(text: &str) -> Result<Format, String> {
        let mut items = Vec::new();
        let mut chars = text.bytes().peekable();
        while let Some(c) = chars.next() {
            if c != b'%' {
                items.push(if c == b' ' {
                    Item::Space
                } else {
                    Item::Literal(c)
                });
                continue;
            }
            let spec = chars.next().ok_or("the format ends with a lone `%`")?;
            match spec {
                b'Y' => items.push(Item::Year4),
                b'y' => items.push(Item::Year2),
                b'm' => items.push(Item::Month),
                b'b' | b'h' => items.push(Item::MonthName),
                b'd' | b'e' => items.push(Item::Day),
                b'H' => items.push(Item::Hour24),
                b'I' => items.push(Item::Hour12),
                b'M' => items.push(Item::Minute),
                b'S' => items.push(Item::Second),
                b'f' => items.push(Item::Fraction),
                b'p' | b'P' => items.push(Item::AmPm),
                b'z' => items.push(Item::Offset),
                b':' if chars.peek() == Some(&b'z') => {
                    chars.next();
                    items.push(Item::Offset);
                }
                b'T' => items.extend([
                    Item::Hour24,
                    Item::Literal(b':'),
                    Item::Minute,
                    Item::Literal(b':'),
                    Item::Second,
                ]),
                b'F' => items.extend([
                    Item::Year4,
                    Item::Literal(b'-'),
                    Item::Month,
                    Item::Literal(b'-'),
                    Item::Day,
                ]),
                b'%' => items.push(Item::Literal(b'%')),
                other => {
                    return Err(format!(
                        "`%{}` is not supported in `timestamp_format` (use %Y %y %m %d %H %I %M %S %f %p %b %z)",
                        other as char
                    ));
                }
            }
        }
        if !items.iter().any(|i| *i == Item::Year4 || *i == Item::Year2) {
            return Err("`timestamp_format` has no year (`%Y` or `%y`)".into());
        }
        Ok(Format { items: Some(items) })
    }

    /// Parses `text`; `None` when it does not match.
    pub fn parse(&self, text: &[u8]) -> Option<Parsed> {
        let text = trim_bytes(text);
        match &self.items {
            None => parse_iso(text),
            Some(items) => parse_items(items, text),
        }
    }
}

/// `s` without leading and trailing spaces, tabs and carriage returns.
pub fn trim_bytes(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t' | b'\r', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t' | b'\r'] = s {
        s = rest;
    }
    s
}

/// Reads 1..=max digits.
fn digits(s: &[u8], pos: &mut usize, min: usize, max: usize) -> Option<i64> {
    let start = *pos;
    let mut v = 0i64;
    while *pos < s.len() && *pos - start < max && s[*pos].is_ascii_digit() {
        v = v * 10 + i64::from(s[*pos] - b'0');
        *pos += 1;
    }
    (*pos - start >= min).then_some(v)
}

fn offset(s: &[u8], pos: &mut usize) -> Option<i64> {
    match s.get(*pos)? {
        b'Z' | b'z' => {
            *pos += 1;
            Some(0)
        }
        &sign @ (b'+' | b'-') => {
            *pos += 1;
            let h = digits(s, pos, 2, 2)?;
            if s.get(*pos) == Some(&b':') {
                *pos += 1;
            }
            let m = digits(s, pos, 0, 2).unwrap_or(0);
            let total = h * 60 + m;
            Some(if sign == b'-' { -total } else { total })
        }
        _ => None,
    }
}

fn assemble(
    y: i64,
    mo: i64,
    d: i64,
    h: i64,
    mi: i64,
    s: i64,
    offset: Option<i64>,
) -> Option<Parsed> {
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || h > 24 || mi > 59 || s > 60 {
        return None;
    }
    if h == 24 && (mi != 0 || s != 0) {
        return None;
    }
    Some(Parsed {
        local: days_from_civil(y, mo, d) * 1440 + h * 60 + mi,
        offset,
    })
}

fn parse_iso(s: &[u8]) -> Option<Parsed> {
    let mut pos = 0;
    let y = digits(s, &mut pos, 4, 4)?;
    (s.get(pos) == Some(&b'-')).then_some(())?;
    pos += 1;
    let mo = digits(s, &mut pos, 2, 2)?;
    (s.get(pos) == Some(&b'-')).then_some(())?;
    pos += 1;
    let d = digits(s, &mut pos, 2, 2)?;
    let (mut h, mut mi, mut sec) = (0, 0, 0);
    if pos < s.len() && matches!(s[pos], b'T' | b't' | b' ') {
        pos += 1;
        h = digits(s, &mut pos, 2, 2)?;
        (s.get(pos) == Some(&b':')).then_some(())?;
        pos += 1;
        mi = digits(s, &mut pos, 2, 2)?;
        if s.get(pos) == Some(&b':') {
            pos += 1;
            sec = digits(s, &mut pos, 2, 2)?;
            if matches!(s.get(pos), Some(b'.' | b',')) {
                pos += 1;
                digits(s, &mut pos, 1, 9)?;
            }
        }
    }
    let off = if pos < s.len() {
        // `2026-03-02 09:15:00 +01:00`
        if s[pos] == b' ' {
            pos += 1;
        }
        Some(offset(s, &mut pos)?)
    } else {
        None
    };
    (pos == s.len()).then_some(())?;
    assemble(y, mo, d, h, mi, sec, off)
}

fn parse_items(items: &[Item], s: &[u8]) -> Option<Parsed> {
    let mut pos = 0;
    let (mut y, mut mo, mut d, mut h, mut mi, mut sec) = (1970, 1, 1, 0, 0, 0);
    let mut pm: Option<bool> = None;
    let mut off = None;
    for item in items {
        match item {
            Item::Literal(c) => {
                (s.get(pos) == Some(c)).then_some(())?;
                pos += 1;
            }
            Item::Space => {
                (s.get(pos) == Some(&b' ')).then_some(())?;
                while s.get(pos) == Some(&b' ') {
                    pos += 1;
                }
            }
            Item::Year4 => y = digits(s, &mut pos, 4, 4)?,
            // Two-digit years are 2000–2099, as the tools that write them mean.
            Item::Year2 => y = 2000 + digits(s, &mut pos, 2, 2)?,
            Item::Month => mo = digits(s, &mut pos, 1, 2)?,
            Item::MonthName => {
                let name = s.get(pos..pos + 3)?;
                let lower = [
                    name[0].to_ascii_lowercase(),
                    name[1].to_ascii_lowercase(),
                    name[2].to_ascii_lowercase(),
                ];
                let i = MONTHS.iter().position(|m| **m == lower)?;
                mo = i as i64 + 1;
                pos += 3;
            }
            Item::Day => {
                if s.get(pos) == Some(&b' ') {
                    pos += 1;
                }
                d = digits(s, &mut pos, 1, 2)?;
            }
            Item::Hour24 | Item::Hour12 => h = digits(s, &mut pos, 1, 2)?,
            Item::Minute => mi = digits(s, &mut pos, 2, 2)?,
            Item::Second => sec = digits(s, &mut pos, 2, 2)?,
            Item::Fraction => {
                digits(s, &mut pos, 1, 9)?;
            }
            Item::AmPm => {
                let two = s.get(pos..pos + 2)?;
                pm = match [two[0].to_ascii_lowercase(), two[1].to_ascii_lowercase()] {
                    [b'a', b'm'] => Some(false),
                    [b'p', b'm'] => Some(true),
                    _ => return None,
                };
                pos += 2;
            }
            Item::Offset => off = Some(offset(s, &mut pos)?),
        }
    }
    (pos == s.len()).then_some(())?;
    if let Some(pm) = pm {
        if !(1..=12).contains(&h) {
            return None;
        }
        h = match (pm, h) {
            (false, 12) => 0,
            (true, 12) => 12,
            (true, h) => h + 12,
            (false, h) => h,
        };
    }
    assemble(y, mo, d, h, mi, sec, off)
}

/// Turns parsed timestamps into instants: the written offset when there is one, else the
/// source's time zone (none: the caller reports a naive timestamp without a zone).
#[derive(Debug)]
pub struct Resolver {
    tz: Option<TimeZone>,
    fixed: Option<i64>,
    cache: crate::FastMap<i64, i64>,
}

impl Resolver {
    /// Naive timestamps are in `tz` (`None`: they cannot be read).
    pub fn new(tz: Option<TimeZone>) -> Resolver {
        let fixed = tz.as_ref().and_then(|tz| {
            let now = jiff::Timestamp::UNIX_EPOCH;
            // A zone without transitions (UTC, Etc/GMT-1) has one offset for all time.
            (tz.to_fixed_offset().is_ok())
                .then(|| i64::from(tz.to_offset(now).seconds()).div_euclid(60))
        });
        Resolver {
            tz,
            fixed,
            cache: crate::FastMap::default(),
        }
    }

    /// The instant of `p`; `None` when it has no offset and the source has no time zone.
    pub fn instant(&mut self, p: Parsed) -> Option<Minute> {
        if let Some(off) = p.offset {
            return Some(p.local - off);
        }
        if let Some(off) = self.fixed {
            return Some(p.local - off);
        }
        let tz = self.tz.as_ref()?;
        let hour = p.local.div_euclid(60);
        let off = match self.cache.get(&hour) {
            Some(&off) => off,
            None => {
                let off = offset_at(tz, hour * 60);
                self.cache.insert(hour, off);
                off
            }
        };
        Some(p.local - off)
    }
}

/// The offset (minutes) of local wall-clock minute `local` in `tz`; in a gap or an overlap,
/// the offset before the change (jiff's "compatible" rule).
fn offset_at(tz: &TimeZone, local: Minute) -> i64 {
    let days = local.div_euclid(1440);
    let minute = local.rem_euclid(1440);
    let date = jiff::civil::Date::constant(1970, 1, 1)
        .checked_add(jiff::Span::new().days(days))
        .unwrap_or(jiff::civil::Date::MIN);
    let dt = DateTime::from_parts(
        date,
        jiff::civil::Time::new(
            i8::try_from(minute / 60).unwrap_or(0),
            i8::try_from(minute % 60).unwrap_or(0),
            0,
            0,
        )
        .unwrap_or(jiff::civil::Time::midnight()),
    );
    match dt.to_zoned(tz.clone()) {
        Ok(z) => {
            let utc = z.timestamp().as_second().div_euclid(60);
            local - utc
        }
        Err(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> Minute {
        let ts: jiff::Timestamp = text.parse().expect("timestamp");
        ts.as_second() / 60
    }

    #[test]
    fn iso_forms() {
        let f = Format::iso();
        let mut r = Resolver::new(Some(TimeZone::UTC));
        for (text, want) in [
            ("2026-03-02T09:15:00Z", "2026-03-02T09:15:00Z"),
            ("2026-03-02 09:15", "2026-03-02T09:15:00Z"),
            ("2010-03-31T15:59:42+01:00", "2010-03-31T14:59:00Z"),
            ("2026-03-02T09:15:59.999-05:30", "2026-03-02T14:45:00Z"),
            ("2026-03-02", "2026-03-02T00:00:00Z"),
        ] {
            let p = f.parse(text.as_bytes()).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(r.instant(p), Some(utc(want)), "{text}");
        }
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "yesterday",
            "2026-03-02T9:15",
            "",
        ] {
            assert_eq!(f.parse(bad.as_bytes()), None, "{bad}");
        }
    }

    #[test]
    fn strftime_forms() {
        let mut r = Resolver::new(Some(TimeZone::UTC));
        let uci = Format::strftime("%d/%m/%Y %H:%M").expect("format");
        let p = uci.parse(b"29/2/2016 01:16").expect("parses");
        assert_eq!(r.instant(p), Some(utc("2016-02-29T01:16:00Z")));
        assert_eq!(uci.parse(b"30/2/2016 01:16"), None);
        assert_eq!(uci.parse(b"?"), None);
        let jira = Format::strftime("%d/%b/%y %I:%M %p").expect("format");
        let p = jira.parse(b"25/Feb/26 10:17 PM").expect("parses");
        assert_eq!(r.instant(p), Some(utc("2026-02-25T22:17:00Z")));
        let p = jira.parse(b"01/Mar/26 12:05 AM").expect("parses");
        assert_eq!(r.instant(p), Some(utc("2026-03-01T00:05:00Z")));
        assert!(Format::strftime("%H:%M").is_err());
        assert!(Format::strftime("%Y %Q").is_err());
    }

    #[test]
    fn naive_times_take_the_zone_with_daylight_saving() {
        let berlin = crate::tickets::clock::time_zone("Europe/Berlin").expect("tz");
        let mut r = Resolver::new(Some(berlin));
        let f = Format::iso();
        let winter = f.parse(b"2026-01-15 10:00:00").expect("parses");
        let summer = f.parse(b"2026-07-15 10:00:00").expect("parses");
        assert_eq!(r.instant(winter), Some(utc("2026-01-15T09:00:00Z")));
        assert_eq!(r.instant(summer), Some(utc("2026-07-15T08:00:00Z")));
        let mut none = Resolver::new(None);
        assert_eq!(none.instant(winter), None);
        let with_offset = f.parse(b"2026-01-15T10:00:00Z").expect("parses");
        assert_eq!(none.instant(with_offset), Some(utc("2026-01-15T10:00:00Z")));
    }
}
