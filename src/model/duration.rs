//! Durations as written in documents: `15m`, `4h`, `3d`, `2w`, `6mo`, `1y`, combinations such as
//! `1h30m`, or ISO 8601 (`PT4H`, `P1Y`). Parsed by jiff, which reads both forms.

use jiff::civil::{Date, Time};
use jiff::{Span, Unit};

/// Parses a duration; the error says what was expected.
pub fn parse(text: &str) -> Result<Span, String> {
    text.trim().parse::<Span>().map_err(|_| {
        format!("`{text}` is not a duration (write e.g. `15m`, `4h`, `3d`, `6mo`, `1y` or ISO 8601 `PT4H`)")
    })
}

/// `date` plus `span`, or `None` when out of range.
pub fn add(date: Date, span: Span) -> Option<Date> {
    date.to_datetime(Time::midnight())
        .checked_add(span)
        .ok()
        .map(|dt| dt.date())
}

/// Total minutes in `span`, counting calendar units (months, years) from 1970-01-01 so that
/// results are comparable.
pub fn minutes(span: Span) -> Option<i64> {
    let epoch = Date::constant(1970, 1, 1);
    #[allow(
        clippy::cast_possible_truncation,
        reason = "minutes of any real duration fit in i64"
    )]
    span.total((Unit::Minute, epoch))
        .ok()
        .map(|m| m.round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_forms() {
        let cases = [
            ("15m", 15),
            ("4h", 240),
            ("3d", 4320),
            ("1h30m", 90),
            ("PT4H", 240),
            ("P1D", 1440),
            ("2w", 20160),
        ];
        for (text, expected) in cases {
            let span = parse(text).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(minutes(span), Some(expected), "{text}");
        }
        assert!(parse("soon").is_err());
        assert!(parse("").is_err());
    }

    #[test]
    fn adds_calendar_units() {
        let d = Date::constant(2026, 1, 31);
        assert_eq!(
            add(d, parse("1mo").expect("parses")),
            Some(Date::constant(2026, 2, 28))
        );
        assert_eq!(
            add(d, parse("1y").expect("parses")),
            Some(Date::constant(2027, 1, 31))
        );
        assert_eq!(
            add(d, parse("365d").expect("parses")),
            Some(Date::constant(2027, 1, 31))
        );
    }
}
