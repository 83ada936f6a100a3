#!/usr/bin/env python3
"""Reference implementation of the SLA resolution-attainment rules of PRODUCT.md §11.3 and §11.5.

    python3 benches/sla_reference.py --dataset servicenow-uci FILE
    python3 benches/sla_reference.py --dataset volvo-it FILE

Prints JSON (keys sorted, indent 2):

    {"rejected": {reason: rows}, "tickets": N,
     "attainment": [{"priority": "P1", "metric": "resolution", "period": "2016-03" | "all",
                     "target": "4h", "tickets": .., "met": .., "open_breached": ..,
                     "attainment_bp": ..}, ...]}

It is written independently of the Rust implementation, to be two things at once: the acceptance
oracle for `evident sla report` on the two example datasets, and the "straightforward Python
implementation" of PRODUCT.md §7 that Evident must beat 10x. So it is plain, readable code: one
pass to read and group the rows, then per-ticket work with a day-by-day loop over the calendar.
Standard library only.

The rules, as pinned down for both datasets:

* Calendar: Monday-Friday 08:00-18:00, no holidays; servicenow-uci in UTC, volvo-it in the fixed
  zone UTC+01:00 (IANA Etc/GMT-1). Both zones have no daylight-saving time, so local wall-clock
  arithmetic is exact. Every timestamp is truncated (floored) to the minute before anything else.
* Targets: P1 4h, P2 8h, P3 3d, P4 5d. Met when elapsed <= target.
* Elapsed = business minutes from opened to resolved minus the business minutes of the union of
  the paused intervals (each [event in a pause state, next event], clipped to [opened, resolved];
  for the last event of an open ticket the interval runs to the end of the data).
* Resolved tickets count in the month of their resolution; open tickets whose elapsed at the end
  of the data exceeds the target count as `open_breached` in the month of their deadline.
"""

import argparse
import csv
import json
import sys
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

OPENING = time(8, 0)
CLOSING = time(18, 0)
WORKING_DAY_MINUTES = 600  # 08:00-18:00
ONE_DAY = timedelta(days=1)
ONE_MINUTE = timedelta(minutes=1)

# Resolution targets per priority, as written in the SLA, and in business minutes.
# `Nd` is N working days: the deadline is the same time of day N working days after the clock
# start (a start outside working hours first moves to the next opening). On this calendar every
# working day has the same 600 minutes and there are no holidays, so N working days is exactly
# N * 600 business minutes, which is what we compare with. (The one place where "same time of day"
# and "N * 600 minutes" could name different instants, a start at 18:00 sharp, is handled by the
# deadline rule of open tickets below: the deadline is the FIRST minute at which the clock reaches
# the target, i.e. 18:00 rather than the next 08:00.)
TARGETS = {
    "P1": ("4h", 4 * 60),
    "P2": ("8h", 8 * 60),
    "P3": ("3d", 3 * WORKING_DAY_MINUTES),
    "P4": ("5d", 5 * WORKING_DAY_MINUTES),
}

DATASETS = {
    "servicenow-uci": {
        "zone": "UTC",
        "encoding": "utf-8",
        "id": "number",
        "time": "sys_updated_at",
        "keep": ["incident_state", "sys_mod_count", "opened_at", "resolved_at", "priority"],
        "priorities": {"1 - Critical": "P1", "2 - High": "P2", "3 - Moderate": "P3", "4 - Low": "P4"},
    },
    "volvo-it": {
        "zone": "Etc/GMT-1",  # POSIX sign: Etc/GMT-1 is UTC+01:00
        "encoding": "utf-8-sig",  # the file starts with a BOM
        "id": "SR Number",
        "time": "Change Date+Time",
        "keep": ["Status", "Sub Status", "SR Latest Impact"],
        "priorities": {"Major": "P1", "High": "P2", "Medium": "P3", "Low": "P4"},
    },
}

UTC = ZoneInfo("UTC")
MISSING = "?"  # "?" means missing in the ServiceNow export


# ---------------------------------------------------------------------------------------------
# Timestamps. Every instant is an aware datetime in UTC, floored to the minute.


def parse_servicenow_time(text):
    """`d/m/yyyy HH:MM`, day first, no zone: naive UTC. Returns None when it does not parse.
    (Split by hand rather than with strptime, which is several times slower for this one format.)"""
    try:
        day_text, clock = text.split(" ")
        day, month, year = day_text.split("/")
        hour, minute = clock.split(":")
        if len(year) != 4 or len(minute) != 2:
            return None
        return datetime(int(year), int(month), int(day), int(hour), int(minute), tzinfo=UTC)
    except ValueError:
        return None


def parse_iso_time(text):
    """ISO 8601 with an offset, seconds floored away. Returns None when it does not parse."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return None  # the Volvo export always carries an offset; a naive time is not guessed
    return parsed.astimezone(UTC).replace(second=0, microsecond=0)


# ---------------------------------------------------------------------------------------------
# The business calendar: Monday-Friday 08:00-18:00 in the calendar zone.


class Calendar:
    def __init__(self, zone_name):
        self.zone = ZoneInfo(zone_name)

    def local(self, instant):
        """Wall-clock time in the calendar zone, as a naive datetime (the zone has no DST)."""
        return instant.astimezone(self.zone).replace(tzinfo=None)

    def month(self, instant):
        return self.local(instant).strftime("%Y-%m")

    def working_window(self, day):
        """The working hours of a local date as (start, end) naive datetimes, or None."""
        if day.weekday() >= 5:  # Saturday, Sunday
            return None
        return datetime.combine(day, OPENING), datetime.combine(day, CLOSING)

    def business_minutes(self, start, end):
        """Minutes of working time inside [start, end); 0 when end <= start."""
        if end <= start:
            return 0
        start, end = self.local(start), self.local(end)
        total = 0
        day = start.date()
        while day <= end.date():
            window = self.working_window(day)
            if window is not None:
                low = max(start, window[0])
                high = min(end, window[1])
                if high > low:
                    total += (high - low) // ONE_MINUTE
            day += ONE_DAY
        return total

    def deadline(self, opened, paused, target):
        """The deadline: the last instant d at which business(opened, d) - paused business in
        [opened, d] is still at most `target` minutes, i.e. one minute before the clock first
        passes the target. For `3d` started at an opening (08:00) it is 08:00 three working
        days later, "the same point of the working day" (PRODUCT.md 11.3.6), not 18:00 the
        evening before. `paused` is a sorted list of disjoint intervals."""
        return self.first_reach(opened, paused, target + 1) - ONE_MINUTE

    def first_reach(self, opened, paused, target):
        """The first instant d at which business(opened, d) - paused business in [opened, d]
        equals `target` minutes (target > 0)."""
        local_paused = [(self.local(a), self.local(b)) for a, b in paused]
        start = self.local(opened)
        remaining = target
        day = start.date()
        while True:
            window = self.working_window(day)
            if window is not None and window[1] > start:
                # The running (not paused) pieces of this working window, in order.
                pieces = [(max(start, window[0]), window[1])]
                for pause_start, pause_end in local_paused:
                    next_pieces = []
                    for low, high in pieces:
                        if pause_end <= low or pause_start >= high:
                            next_pieces.append((low, high))
                            continue
                        if pause_start > low:
                            next_pieces.append((low, pause_start))
                        if pause_end < high:
                            next_pieces.append((pause_end, high))
                    pieces = next_pieces
                for low, high in pieces:
                    length = (high - low) // ONE_MINUTE
                    if remaining <= length:
                        return (low + remaining * ONE_MINUTE).replace(tzinfo=self.zone).astimezone(UTC)
                    remaining -= length
            day += ONE_DAY


def union(intervals):
    """Sorted, merged union of (start, end) intervals; empty intervals are dropped."""
    merged = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


# ---------------------------------------------------------------------------------------------
# Reading: rows to tickets. Each dataset yields, per accepted ticket, a dict with priority,
# opened, resolved (None when open) and the list of (time, paused?) events in order.


class Rejections:
    def __init__(self):
        self.rows = {}

    def add(self, reason, rows=1):
        self.rows[reason] = self.rows.get(reason, 0) + rows


def read_events(path, config, rejected):
    """Reads the CSV, drops rejected rows, and groups the rest per ticket id in file order.
    Returns ({id: [(time, position, fields), ...]}, latest event time), where fields holds only
    the columns the rules use."""
    tickets = {}
    end_of_data = None
    with open(path, newline="", encoding=config["encoding"]) as handle:
        for position, row in enumerate(csv.DictReader(handle)):
            if config["name"] == "servicenow-uci" and row["incident_state"] == "-100":
                rejected.add("reject-state")
                continue
            ticket_id = (row.get(config["id"]) or "").strip()
            if ticket_id == "" or ticket_id == MISSING:
                rejected.add("missing-id")
                continue
            when = config["parse_time"](row.get(config["time"]) or "")
            if when is None:
                rejected.add("bad-timestamp")
                continue
            fields = {column: row[column] for column in config["keep"]}
            tickets.setdefault(ticket_id, []).append((when, position, fields))
            if end_of_data is None or when > end_of_data:
                end_of_data = when
    return tickets, end_of_data


def servicenow_ticket(events, config, rejected):
    """One ServiceNow incident from its audit events, or None when it is rejected."""
    # Order: sys_mod_count (an integer), then sys_updated_at, then position in the file.
    events.sort(key=lambda e: (int(e[2]["sys_mod_count"]), e[0], e[1]))
    final = events[-1][2]
    priority = config["priorities"].get(final["priority"])
    if priority is None:
        rejected.add("unknown-priority", len(events))
        return None
    if final["resolved_at"] == MISSING:
        rejected.add("closed-without-resolution", len(events))
        return None
    opened = parse_servicenow_time(final["opened_at"])
    resolved = parse_servicenow_time(final["resolved_at"])
    if opened is None or resolved is None:
        rejected.add("bad-timestamp", len(events))
        return None
    if resolved < opened:
        rejected.add("resolved-before-opened", len(events))
        return None
    return {
        "priority": priority,
        "opened": opened,
        "resolved": resolved,
        "events": [(when, row["incident_state"].startswith("Awaiting")) for when, _, row in events],
    }


def volvo_ticket(events, config, rejected):
    """One Volvo IT incident from its status changes, or None when it is rejected."""
    # Order: change time (already floored to the minute), then position in the file.
    events.sort(key=lambda e: (e[0], e[1]))
    final = events[-1][2]
    priority = config["priorities"].get(final["SR Latest Impact"])
    if priority is None:
        rejected.add("unknown-priority", len(events))
        return None
    opened = events[0][0]
    # Resolved: the first event of the last run of consecutive Completed events, when the ticket
    # ends in that run; a Completed run followed by another status is a reopen.
    resolved = None
    index = len(events) - 1
    while index >= 0 and events[index][2]["Status"] == "Completed":
        resolved = events[index][0]
        index -= 1
    if resolved is not None and resolved < opened:
        rejected.add("resolved-before-opened", len(events))
        return None
    return {
        "priority": priority,
        "opened": opened,
        "resolved": resolved,
        "events": [(when, row["Sub Status"].startswith("Wait")) for when, _, row in events],
    }


# ---------------------------------------------------------------------------------------------
# Measuring.


def paused_intervals(ticket, end_of_data):
    """The union of the ticket's paused intervals, clipped to [opened, resolved or end of data]."""
    opened, resolved = ticket["opened"], ticket["resolved"]
    stop = resolved if resolved is not None else end_of_data
    events = ticket["events"]
    intervals = []
    for index, (when, paused) in enumerate(events):
        if not paused:
            continue
        if index + 1 < len(events):
            until = events[index + 1][0]
        elif resolved is None:
            until = end_of_data  # the last event of an open ticket: paused to the end of the data
        else:
            continue  # the last event of a resolved ticket has no next event: nothing is paused
        intervals.append((max(when, opened), min(until, stop)))
    return union(intervals)


def measure(tickets, calendar, end_of_data):
    """Counts per (priority, period): resolved tickets, met, open_breached."""
    counts = {}

    def count(priority, period, field):
        for key in ((priority, period), (priority, "all")):
            row = counts.setdefault(key, {"tickets": 0, "met": 0, "open_breached": 0})
            row[field] += 1

    for ticket in tickets:
        _, target = TARGETS[ticket["priority"]]
        paused = paused_intervals(ticket, end_of_data)
        paused_minutes = sum(calendar.business_minutes(a, b) for a, b in paused)
        if ticket["resolved"] is not None:
            elapsed = calendar.business_minutes(ticket["opened"], ticket["resolved"]) - paused_minutes
            period = calendar.month(ticket["resolved"])
            count(ticket["priority"], period, "tickets")
            if elapsed <= target:
                count(ticket["priority"], period, "met")
        else:
            elapsed = calendar.business_minutes(ticket["opened"], end_of_data) - paused_minutes
            if elapsed > target:
                deadline = calendar.deadline(ticket["opened"], paused, target)
                count(ticket["priority"], calendar.month(deadline), "open_breached")
    return counts


def report(dataset, path):
    config = dict(DATASETS[dataset], name=dataset)
    if dataset == "servicenow-uci":
        config["parse_time"] = parse_servicenow_time
        build_ticket = servicenow_ticket
    else:
        config["parse_time"] = parse_iso_time
        build_ticket = volvo_ticket
    rejected = Rejections()
    events_by_id, end_of_data = read_events(path, config, rejected)
    tickets = []
    for events in events_by_id.values():
        ticket = build_ticket(events, config, rejected)
        if ticket is not None:
            tickets.append(ticket)
    calendar = Calendar(config["zone"])
    counts = measure(tickets, calendar, end_of_data)
    attainment = []
    for (priority, period), row in counts.items():
        denominator = row["tickets"] + row["open_breached"]
        if denominator == 0:
            continue
        attainment.append(
            {
                "priority": priority,
                "metric": "resolution",
                "period": period,
                "target": TARGETS[priority][0],
                "tickets": row["tickets"],
                "met": row["met"],
                "open_breached": row["open_breached"],
                "attainment_bp": row["met"] * 10000 // denominator,
            }
        )
    attainment.sort(key=lambda r: (r["priority"], r["period"] == "all", r["period"]))
    return {"rejected": rejected.rows, "tickets": len(tickets), "attainment": attainment}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", required=True, choices=sorted(DATASETS))
    parser.add_argument("file")
    args = parser.parse_args()
    json.dump(report(args.dataset, args.file), sys.stdout, sort_keys=True, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
