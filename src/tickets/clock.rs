//! Business time on a Calendar (PRODUCT.md §11.3.5–6): working hours per weekday in the
//! calendar's time zone, minus holidays, with daylight-saving changes taken from the tz
//! database built into the binary.
//!
//! Instants are whole minutes since the Unix epoch ([`Minute`]). A [`Clock`] lays the
//! calendar's working spans out as UTC minute ranges, one day at a time, with the business
//! minutes before each day, so that the business time between two instants is two lookups.

use std::collections::BTreeSet;

use crate::model::Value;
use jiff::Timestamp;
use jiff::civil::{Date, Time, Weekday};
use jiff::tz::{TimeZone, TimeZoneDatabase};

/// Minutes since 1970-01-01T00:00Z.
pub type Minute = i64;

/// The tz database Evident uses: the one built into the binary, the same on every machine.
pub fn tz_database() -> &'static TimeZoneDatabase {
    static DB: std::sync::OnceLock<TimeZoneDatabase> = std::sync::OnceLock::new();
    DB.get_or_init(TimeZoneDatabase::bundled)
}

/// A time zone by IANA name (`UTC`, `Europe/Berlin`, `Etc/GMT-1`).
pub fn time_zone(name: &str) -> Result<TimeZone, String> {
    if name == "UTC" {
        return Ok(TimeZone::UTC);
    }
    tz_database()
        .get(name)
        .map_err(|_| format!("`{name}` is not a time zone of the IANA database"))
}

/// `spans` sorted, with overlapping and touching spans joined: working hours written in any
/// order, paused intervals that overlap.
pub fn merge<T: Ord + Copy>(mut spans: Vec<(T, T)>) -> Vec<(T, T)> {
    spans.sort_unstable();
    let mut merged: Vec<(T, T)> = Vec::with_capacity(spans.len());
    for (a, b) in spans {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    merged
}

/// The month index (year × 12 + month − 1) of a date.
pub fn month_index(d: Date) -> i32 {
    i32::from(d.year()) * 12 + i32::from(d.month()) - 1
}

/// `bp` basis points as a percentage for people: `90.24 %`, `95 %`.
pub fn percent(bp: i64) -> String {
    if bp % 100 == 0 {
        format!("{} %", bp / 100)
    } else {
        format!("{}.{:02} %", bp / 100, bp % 100)
    }
}

/// The local calendar day of `t` in `tz`.
pub fn local_date(tz: &TimeZone, t: Minute) -> Date {
    match Timestamp::from_second(t * 60) {
        Ok(ts) => tz.to_datetime(ts).date(),
        Err(_) => Date::MIN,
    }
}

/// `YYYY-MM` of `t` in `tz`.
pub fn month_of(tz: &TimeZone, t: Minute) -> String {
    let d = local_date(tz, t);
    format!("{:04}-{:02}", d.year(), d.month())
}

/// `t` as local time in `tz`, `YYYY-MM-DD HH:MM` with the offset.
pub fn display(tz: &TimeZone, t: Minute) -> String {
    match Timestamp::from_second(t * 60) {
        Ok(ts) => ts
            .to_zoned(tz.clone())
            .strftime("%Y-%m-%d %H:%M %:z")
            .to_string(),
        Err(_) => format!("{t} min"),
    }
}

/// The instant at local `date` + `minutes` after midnight in `tz` (minutes may be 1440: the
/// next midnight). A time skipped by a daylight-saving change moves forward, as clocks do.
fn instant(tz: &TimeZone, date: Date, minutes: u16) -> Minute {
    let (date, minutes) = if minutes >= 1440 {
        (date.tomorrow().unwrap_or(date), minutes - 1440)
    } else {
        (date, minutes)
    };
    let hour = i8::try_from(minutes / 60).unwrap_or(0);
    let minute = i8::try_from(minutes % 60).unwrap_or(0);
    let time = Time::new(hour, minute, 0, 0).unwrap_or(Time::midnight());
    match date.to_datetime(time).to_zoned(tz.clone()) {
        Ok(z) => z.timestamp().as_second().div_euclid(60),
        Err(_) => 0,
    }
}

/// A Calendar document, compiled.
#[derive(Debug, Clone)]
pub struct Calendar {
    /// `metadata.id`, or `24x7` for the built-in always-on calendar.
    pub id: String,
    /// The calendar's time zone.
    pub tz: TimeZone,
    /// Its IANA name.
    pub tz_name: String,
    /// Working spans per weekday (Monday first), minutes after midnight, sorted and merged.
    week: [Vec<(u16, u16)>; 7],
    holidays: BTreeSet<Date>,
}

fn minutes_of_day(text: &str) -> Option<u16> {
    let (h, m) = text.split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60 || h == 24 && m == 0).then_some(h * 60 + m)
}

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

impl Calendar {
    /// Every minute of every day, in UTC: for agreements without a calendar.
    pub fn always_on() -> Calendar {
        Calendar {
            id: "24x7".into(),
            tz: TimeZone::UTC,
            tz_name: "UTC".into(),
            week: std::array::from_fn(|_| vec![(0, 1440)]),
            holidays: BTreeSet::new(),
        }
    }

    /// Compiles a Calendar's `spec`; the error names what is wrong.
    pub fn from_spec(id: &str, spec: &Value) -> Result<Calendar, String> {
        let tz_name = spec
            .get("timezone")
            .and_then(Value::as_str)
            .ok_or("the calendar has no `timezone`")?;
        let tz = time_zone(tz_name)?;
        let mut week: [Vec<(u16, u16)>; 7] = Default::default();
        for (i, day) in WEEKDAYS.iter().enumerate() {
            let Some(spans) = spec.pointer(&format!("/working_hours/{day}")) else {
                continue;
            };
            for span in spans.as_array().into_iter().flatten() {
                let from = span.get("from").and_then(Value::as_str).unwrap_or("");
                let to = span.get("to").and_then(Value::as_str).unwrap_or("");
                let (Some(a), Some(b)) = (minutes_of_day(from), minutes_of_day(to)) else {
                    return Err(format!("`{from}`–`{to}` on {day} is not a span of time"));
                };
                if a < b {
                    week[i].push((a, b));
                }
            }
            week[i] = merge(std::mem::take(&mut week[i]));
        }
        if week.iter().all(Vec::is_empty) {
            return Err("the calendar has no working hours, so no clock can run on it".into());
        }
        let holidays = spec
            .get("holidays")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|h| h.get("date")?.as_str()?.parse::<Date>().ok())
            .collect();
        Ok(Calendar {
            id: id.to_string(),
            tz,
            tz_name: tz_name.to_string(),
            week,
            holidays,
        })
    }

    /// Whether every minute is working time (24×7, no holidays): a day is then 24 hours.
    pub fn is_always_on(&self) -> bool {
        self.holidays.is_empty() && self.week.iter().all(|d| d.as_slice() == [(0, 1440)])
    }

    /// The number of weekdays with working hours: the working days of a week.
    pub fn working_days_per_week(&self) -> i64 {
        self.week.iter().filter(|d| !d.is_empty()).count() as i64
    }

    fn spans_on(&self, date: Date) -> &[(u16, u16)] {
        if self.holidays.contains(&date) {
            return &[];
        }
        let i = match date.weekday() {
            Weekday::Monday => 0,
            Weekday::Tuesday => 1,
            Weekday::Wednesday => 2,
            Weekday::Thursday => 3,
            Weekday::Friday => 4,
            Weekday::Saturday => 5,
            Weekday::Sunday => 6,
        };
        &self.week[i]
    }

    /// A clock on this calendar.
    pub fn clock(&self) -> Clock<'_> {
        Clock {
            cal: self,
            always_on: self.is_always_on(),
            days: Vec::new(),
        }
    }
}

#[derive(Debug, Clone)]
struct Day {
    date: Date,
    /// The instant the local day starts.
    start: Minute,
    /// Business minutes from the first laid-out day to this day's start.
    before: i64,
    /// Working spans as instants.
    spans: Vec<(Minute, Minute)>,
}

/// Business time on one calendar. Days are laid out on demand, so a clock costs nothing
/// until used and covers any range it is asked about.
#[derive(Debug)]
pub struct Clock<'c> {
    cal: &'c Calendar,
    always_on: bool,
    days: Vec<Day>,
}

impl Clock<'_> {
    /// The calendar.
    pub fn calendar(&self) -> &Calendar {
        self.cal
    }

    fn lay_out(&self, date: Date, before: i64) -> Day {
        let tz = &self.cal.tz;
        Day {
            date,
            start: instant(tz, date, 0),
            before,
            spans: self
                .cal
                .spans_on(date)
                .iter()
                .map(|&(a, b)| (instant(tz, date, a), instant(tz, date, b)))
                .filter(|(a, b)| a < b)
                .collect(),
        }
    }

    fn day_minutes(day: &Day) -> i64 {
        day.spans.iter().map(|(a, b)| b - a).sum()
    }

    /// Index of the laid-out day that contains `t`, laying days out as needed.
    fn day_index(&mut self, t: Minute) -> usize {
        if self.days.is_empty() {
            let date = local_date(&self.cal.tz, t);
            let first = date.yesterday().unwrap_or(date);
            let d = self.lay_out(first, 0);
            self.days.push(d);
        }
        // Earlier than the first day: lay out again from further back.
        while t < self.days[0].start {
            let first = self.days[0].date;
            let back = first
                .checked_sub(jiff::Span::new().days(31))
                .unwrap_or(Date::MIN);
            let mut days = Vec::new();
            let mut date = back;
            let mut before = 0;
            while date < first {
                let d = self.lay_out(date, before);
                before += Self::day_minutes(&d);
                days.push(d);
                date = date.tomorrow().unwrap_or(Date::MAX);
            }
            for d in &mut self.days {
                d.before += before;
            }
            days.append(&mut self.days);
            self.days = days;
        }
        loop {
            let last = self.days.len() - 1;
            let next_date = self.days[last].date.tomorrow().unwrap_or(Date::MAX);
            let next_start = instant(&self.cal.tz, next_date, 0);
            if t < next_start || next_date == Date::MAX {
                break;
            }
            let before = self.days[last].before + Self::day_minutes(&self.days[last]);
            let d = self.lay_out(next_date, before);
            self.days.push(d);
        }
        self.days
            .partition_point(|d| d.start <= t)
            .saturating_sub(1)
    }

    /// Business minutes from a fixed origin to `t`.
    fn at(&mut self, t: Minute) -> i64 {
        let i = self.day_index(t);
        let day = &self.days[i];
        day.before
            + day
                .spans
                .iter()
                .map(|&(a, b)| (t.min(b) - a).max(0))
                .sum::<i64>()
    }

    /// Business minutes in `[from, to)`; zero when `to` is not after `from`.
    pub fn between(&mut self, from: Minute, to: Minute) -> i64 {
        if to <= from {
            return 0;
        }
        if self.always_on {
            return to - from;
        }
        // Laying days out backwards moves the origin of `at`; laying them out forwards does
        // not. So the earlier instant goes first, and both are read after any move.
        self.day_index(from);
        let later = self.at(to);
        later - self.at(from)
    }

    /// The first instant at or after `t` inside working hours (a clock started outside them
    /// starts there).
    pub fn next_opening(&mut self, t: Minute) -> Minute {
        if self.always_on {
            return t;
        }
        let mut i = self.day_index(t);
        // A calendar has working hours in some weekday; holidays can only cover so many days.
        for _ in 0..3660 {
            if let Some(&(a, _)) = self.days[i].spans.iter().find(|&&(_, b)| b > t) {
                return a.max(t);
            }
            let next = self.days[i].date.tomorrow().unwrap_or(Date::MAX);
            i = self.day_index(instant(&self.cal.tz, next, 0));
        }
        t
    }

    /// `n` working days after `t`: the same time of day on the `n`-th working day after the
    /// clock's start (PRODUCT.md §11.3.6), held within that day's working hours.
    pub fn add_working_days(&mut self, t: Minute, n: i64) -> Minute {
        if self.always_on {
            return t + n * 1440;
        }
        let start = self.next_opening(t);
        let mut i = self.day_index(start);
        let time_of_day = start - self.days[i].start;
        let mut left = n;
        let mut guard = 0;
        while left > 0 && guard < 100_000 {
            let next = self.days[i].date.tomorrow().unwrap_or(Date::MAX);
            i = self.day_index(instant(&self.cal.tz, next, 0));
            if !self.days[i].spans.is_empty() {
                left -= 1;
            }
            guard += 1;
        }
        let day = &self.days[i];
        let wanted = day.start + time_of_day;
        let (first, last) = (day.spans[0].0, day.spans[day.spans.len() - 1].1);
        wanted.clamp(first, last)
    }

    /// The working spans of `[from, to)`, clipped, for explaining a clock.
    pub fn spans(&mut self, from: Minute, to: Minute) -> Vec<(Minute, Minute)> {
        let mut out = Vec::new();
        if to <= from {
            return out;
        }
        if self.always_on {
            out.push((from, to));
            return out;
        }
        let mut i = self.day_index(from);
        loop {
            for &(a, b) in &self.days[i].spans {
                let (a, b) = (a.max(from), b.min(to));
                if a < b {
                    out.push((a, b));
                }
            }
            let next = self.days[i].date.tomorrow().unwrap_or(Date::MAX);
            let next_start = instant(&self.cal.tz, next, 0);
            if next_start >= to || next == Date::MAX {
                break;
            }
            i = self.day_index(next_start);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(tz: &str, text: &str) -> Minute {
        let dt: jiff::civil::DateTime = text.parse().expect("datetime");
        dt.to_zoned(time_zone(tz).expect("tz"))
            .expect("zoned")
            .timestamp()
            .as_second()
            / 60
    }

    fn office(tz: &str) -> Calendar {
        let day = json!([{"from": "08:00", "to": "18:00"}]);
        Calendar::from_spec(
            "office",
            &json!({"timezone": tz, "working_hours": {
                "monday": day, "tuesday": day, "wednesday": day, "thursday": day,
                "friday": [{"from": "08:00", "to": "17:00"}]},
              "holidays": [{"date": "2026-12-25", "name": "Christmas Day"}]})
            .into(),
        )
        .expect("calendar")
    }

    #[test]
    fn counts_only_working_hours() {
        let cal = office("UTC");
        let mut c = cal.clock();
        // Monday 17:00 to Tuesday 09:00: one hour on Monday, one on Tuesday.
        assert_eq!(
            c.between(at("UTC", "2026-03-02T17:00"), at("UTC", "2026-03-03T09:00")),
            120
        );
        // A weekend counts nothing: Friday 16:30 to Monday 08:30 is 30 + 30 minutes.
        assert_eq!(
            c.between(at("UTC", "2026-03-06T16:30"), at("UTC", "2026-03-09T08:30")),
            60
        );
        // Backwards is zero.
        assert_eq!(
            c.between(at("UTC", "2026-03-03T09:00"), at("UTC", "2026-03-02T17:00")),
            0
        );
        // Asking about an earlier range after a later one lays days out backwards.
        assert_eq!(
            c.between(at("UTC", "2025-12-01T08:00"), at("UTC", "2025-12-01T18:00")),
            600
        );
    }

    #[test]
    fn holidays_are_not_working_days() {
        let cal = office("UTC");
        let mut c = cal.clock();
        // Thursday 24 Dec 2026 17:00 to Monday 28 Dec 09:00: Christmas Day (Friday) is off.
        assert_eq!(
            c.between(at("UTC", "2026-12-24T17:00"), at("UTC", "2026-12-28T09:00")),
            120
        );
        // One working day after Thursday 24 Dec 10:00 is Monday 28 Dec 10:00.
        assert_eq!(
            c.add_working_days(at("UTC", "2026-12-24T10:00"), 1),
            at("UTC", "2026-12-28T10:00")
        );
    }

    #[test]
    fn working_days_keep_the_time_of_day() {
        let cal = office("UTC");
        let mut c = cal.clock();
        // Tuesday 10:30 + 3 working days = Friday 10:30.
        assert_eq!(
            c.add_working_days(at("UTC", "2026-03-03T10:30"), 3),
            at("UTC", "2026-03-06T10:30")
        );
        // Started on Saturday: the clock starts Monday 08:00; +1 is Tuesday 08:00.
        assert_eq!(
            c.add_working_days(at("UTC", "2026-03-07T12:00"), 1),
            at("UTC", "2026-03-10T08:00")
        );
        // Thursday 17:30 + 1 lands after Friday's 17:00 close: held at the close.
        assert_eq!(
            c.add_working_days(at("UTC", "2026-03-05T17:30"), 1),
            at("UTC", "2026-03-06T17:00")
        );
        // Started at 19:00: the next opening is 08:00 the next day.
        assert_eq!(
            c.next_opening(at("UTC", "2026-03-03T19:00")),
            at("UTC", "2026-03-04T08:00")
        );
    }

    #[test]
    fn daylight_saving_changes_move_the_hours() {
        let cal = office("Europe/Berlin");
        let mut c = cal.clock();
        // Clocks go forward on Sunday 29 March 2026. 08:00–18:00 Berlin is 07:00–17:00 UTC
        // the Friday before and 06:00–16:00 UTC the Monday after: ten hours each day.
        let fri = c.between(at("UTC", "2026-03-27T00:00"), at("UTC", "2026-03-28T00:00"));
        let mon = c.between(at("UTC", "2026-03-30T00:00"), at("UTC", "2026-03-31T00:00"));
        assert_eq!((fri, mon), (540, 600));
        assert_eq!(
            c.between(
                at("Europe/Berlin", "2026-03-30T08:00"),
                at("Europe/Berlin", "2026-03-30T09:00")
            ),
            60
        );
        // An always-on calendar in Berlin: the short night still counts real minutes.
        let day = json!([{"from": "00:00", "to": "24:00"}]);
        let always = Calendar::from_spec(
            "always",
            &json!({"timezone": "Europe/Berlin", "working_hours": {
                "monday": day, "tuesday": day, "wednesday": day, "thursday": day,
                "friday": day, "saturday": day, "sunday": day}})
            .into(),
        )
        .expect("calendar");
        assert!(always.is_always_on());
        let mut c = always.clock();
        assert_eq!(
            c.between(
                at("Europe/Berlin", "2026-03-29T00:00"),
                at("Europe/Berlin", "2026-03-30T00:00")
            ),
            23 * 60
        );
        assert_eq!(c.add_working_days(0, 2), 2880);
    }

    #[test]
    fn fixed_offset_zones_and_bad_calendars() {
        let cal = office("Etc/GMT-1");
        let mut c = cal.clock();
        // Etc/GMT-1 is UTC+01:00: 08:00 local is 07:00 UTC.
        assert_eq!(
            c.next_opening(at("UTC", "2026-03-02T00:00")),
            at("UTC", "2026-03-02T07:00")
        );
        assert!(Calendar::from_spec("x", &json!({"timezone": "Mars/Olympus"}).into()).is_err());
        assert!(Calendar::from_spec("x", &json!({"timezone": "UTC"}).into()).is_err());
        assert_eq!(month_of(&cal.tz, at("UTC", "2026-03-31T23:30")), "2026-04");
    }
}

#[cfg(test)]
mod long_range {
    //! Clocks asked about years of time, in any order.
    use super::*;
    use serde_json::json;

    #[test]
    fn years_apart() {
        let day = json!([{"from": "08:00", "to": "18:00"}]);
        let cal = Calendar::from_spec(
            "office",
            &json!({"timezone": "Etc/GMT-1", "working_hours": {
                "monday": day, "tuesday": day, "wednesday": day, "thursday": day, "friday": day}})
            .into(),
        )
        .expect("calendar");
        let at = |s: &str| s.parse::<jiff::Timestamp>().expect("ts").as_second() / 60;
        let mut c = cal.clock();
        let a = at("2010-03-31T14:59:00Z");
        let b = at("2012-05-03T09:10:00Z");
        // The later instant first: the clock lays days out from there, then backwards.
        assert_eq!(c.between(a, b), 327_251);
        assert_eq!(
            c.between(a - 600_000, a),
            cal.clock().between(a - 600_000, a)
        );
    }
}
