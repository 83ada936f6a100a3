#!/usr/bin/env python3
"""Generate the reference organization's incident export, policies/tickets/exports/incidents-2026.csv.

Northwind Digital Bank's ServiceNow incident table, exported with display values, for the
incidents of Online Banking and Payments opened from 2026-03-01 to 2026-10-31. The export was
taken at the end of 2026-10-31 (Europe/Berlin): no timestamp in it is later.

The data is fictional and deterministic (fixed seed, standard library only): running the script
twice writes the same bytes. It is realistic enough to exercise the whole `evident sla` path:
most tickets are well within the response and resolution targets of their SLA, a few P3 and P4
tickets miss them (among them INC0012891, the payments P3 of September 2026 that the September
service report and problem-2026-021 cite), and a few are still open at the end of the data, all
of them long past their resolution deadline (they count as `open_breached`).

`evident init` copies this file into a new repository with every date moved by the same number
of days, so the tickets fall into other calendar months. Every (SLA, priority, month) must still
meet the 90 % attainment the SLAs require, whatever the shift. So:
- P1 and P2 tickets never miss;
- in each (SLA, P3/P4, metric) series, misses (an open ticket past its deadline included) are at
  least 35 days apart, and every 31-day window that contains one counts at least 12 tickets of
  the series;
- the script asserts that every window of 28 to 31 days that starts at a midnight (what a
  calendar month becomes after any shift) meets 90 %, and it recomputes every cell from the
  written file with all timestamps moved by 0 to 30 days and asserts it too;
- no timestamp has the hour 02 (the hour that daylight saving time skips or repeats on the day
  of a change, whatever the day becomes), and every verdict keeps a margin of a few minutes, and
  of an hour more when the ticket's clock runs across 02:00-03:00, so no verdict changes when a
  change of offset falls within it.

Rules used here (PRODUCT.md 11.3), on the always-on calendar of both SLAs (24x7 in
Europe/Berlin, so business minutes are real elapsed minutes, daylight saving time included):
- response minutes = minutes(u_responded_at - opened_at), resolution minutes =
  minutes(resolved_at - opened_at), whole minutes (seconds dropped); met when <= the target;
- a response counts in the month (Europe/Berlin) of u_responded_at, a resolution in the month of
  resolved_at;
- an unresolved ticket whose resolution deadline passed by the end of the data (its latest
  timestamp) counts as missed (open_breached) in the month of its deadline.

The script prints the attainment per (SLA, priority, month, metric), the misses of each series,
and the September 2026 resolution attainment over both SLAs (the service report's measure
`Incidents resolved within target`).

Usage: python3 scripts/gen-reference-tickets.py   (from anywhere; paths are from the repository)
"""

import csv
import io
import math
import random
import re
import sys
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "policies/tickets/exports/incidents-2026.csv"
SLA_FILES = {
    "online-banking-sla": ROOT / "policies/agreements/online-banking-sla.yaml",
    "payments-sla": ROOT / "policies/agreements/payments-sla.yaml",
}
# Display value of business_service -> (Service id, SLA id), as in
# policies/tickets/service-desk-incidents.yaml and the SLAs' `services`.
SERVICES = {
    "Online Banking": ("online-banking", "online-banking-sla"),
    "Payments": ("payments", "payments-sla"),
}
REQUIRED = 90  # percent; `spec.targets.attainment` of both SLAs
BERLIN = ZoneInfo("Europe/Berlin")
FIRST_OPEN = datetime(2026, 3, 1, 6, 0, tzinfo=BERLIN)  # payments-sla is valid from 2026-03-01
END = datetime(2026, 10, 31, 23, 59, 0, tzinfo=BERLIN)  # the export was taken then
SEED = 20261031
COLUMNS = [
    "number", "opened_at", "short_description", "caller_id", "priority", "state", "category",
    "assignment_group", "assigned_to", "business_service", "cmdb_ci", "resolved_at", "closed_at",
    "reassignment_count", "reopen_count", "made_sla", "sys_updated_on", "u_responded_at",
]
PRIORITY_LABEL = {"P1": "1 - Critical", "P2": "2 - High", "P3": "3 - Moderate", "P4": "4 - Low"}
MINUTES = {"m": 1, "h": 60, "d": 24 * 60, "w": 7 * 24 * 60}  # always-on calendar: a day is 24h


def duration_minutes(text):
    total, rest = 0, text
    for number, unit in re.findall(r"(\d+)(m|h|d|w)", text):
        total += int(number) * MINUTES[unit]
        rest = rest.replace(number + unit, "", 1)
    if rest or not total:
        sys.exit(f"unsupported duration {text!r}")
    return total


def read_targets(path):
    """The SLA's `calendar` and its per-priority targets, in minutes, read from the YAML lines
    `- { priority: P1, response: 30m, resolution: 4h }` (the form both SLAs use)."""
    text = path.read_text(encoding="utf-8")
    calendar = re.search(r"^  calendar: (\S+)$", text, re.M).group(1)
    targets = {}
    for m in re.finditer(r"^\s+- \{ *priority: *(P\d), *response: *(\w+), *resolution: *(\w+) *\}", text, re.M):
        targets[m.group(1)] = {"response": duration_minutes(m.group(2)),
                               "resolution": duration_minutes(m.group(3))}
    if calendar != "always-on" or sorted(targets) != ["P1", "P2", "P3", "P4"]:
        sys.exit(f"{path}: expected the always-on calendar and targets for P1-P4")
    m = re.search(r"^    attainment: \{ *response: *(\d+), *resolution: *(\d+) *\}$", text, re.M)
    if not m or int(m.group(1)) != REQUIRED or int(m.group(2)) != REQUIRED:
        sys.exit(f"{path}: expected `attainment: {{ response: {REQUIRED}, resolution: {REQUIRED} }}` under targets")
    return targets


TARGETS = {sla: read_targets(path) for sla, path in SLA_FILES.items()}
# At the time of writing both SLAs set: P1 30m/4h, P2 1h/8h, P3 4h/3d, P4 1d/10d, and
# attainment {response: 90, resolution: 90}.

SHORT = {
    "Online Banking": {
        "Software": ["Login fails after app update", "Statement PDF download returns an error",
                     "Standing order screen does not load", "Transfer confirmation page hangs",
                     "Push notification for payment not received", "Card freeze button has no effect",
                     "Balance shown twice in account overview", "Adviser message cannot be sent"],
        "Network": ["Mobile API timeouts from one carrier", "Web portal slow for some users",
                    "Intermittent TLS errors on web portal"],
        "Security": ["Strong authentication code not delivered", "Customer locked out after reset",
                     "Suspicious login pattern reported"],
        "Inquiry / Help": ["Customer asks why transfer limit changed", "Question on export of transactions"],
    },
    "Payments": {
        "Software": ["SEPA instant transfer rejected with timeout", "Direct debit batch stuck in queue",
                     "Payment hub shows duplicate status", "Standing order not executed on due date",
                     "Recall request not forwarded to scheme", "Card authorization declined without reason"],
        "Network": ["Scheme gateway connection drops", "Latency on card authorization switch"],
        "Database": ["Payment history query slow", "Reconciliation report missing entries"],
        "Inquiry / Help": ["Branch asks about status of urgent transfer", "Payment investigation follow-up"],
    },
}
CMDB = {
    "Online Banking": ["nwb-web-portal", "nwb-mobile-api", "nwb-identity"],
    "Payments": ["nwb-payment-hub", "SEPA instant gateway", "card authorization switch"],
}
GROUPS = {
    "Online Banking": ["Service Desk", "Digital Channels Support", "Platform Operations"],
    "Payments": ["Service Desk", "Payments Operations", "Platform Operations"],
}


def fmt(t):
    return t.astimezone(BERLIN).strftime("%Y-%m-%d %H:%M:%S")


def naive(t):
    """Wall-clock time in Europe/Berlin, seconds dropped (what the reader's minutes are)."""
    return t.astimezone(BERLIN).replace(tzinfo=None, second=0, microsecond=0)


def unsafe_local(t):
    """True in the hour 02: skipped or repeated on the day of a daylight saving time change, and
    any day can become such a day when the dates are moved."""
    return t.astimezone(BERLIN).hour == 2


def minutes(a, b):
    """Elapsed whole minutes, as the reader computes them (seconds dropped from both)."""
    return int((b.astimezone(BERLIN).replace(second=0, microsecond=0)
                - a.astimezone(BERLIN).replace(second=0, microsecond=0)).total_seconds()) // 60


def wall_minutes(a, b):
    """Naive local difference: the real minutes unless a change of offset falls in between."""
    return int((naive(b) - naive(a)).total_seconds()) // 60


def spans_dst_hour(a, b):
    """True when, on some day, the wall-clock interval a..b covers 02:00-03:00, so that moving
    the dates can put a change of offset (an hour more or less) inside it."""
    na, nb = naive(a), naive(b)
    if nb - na >= timedelta(days=1):
        return True
    day = datetime.combine(na.date(), datetime.min.time())
    for d in (day, day + timedelta(days=1)):
        if na <= d + timedelta(hours=2) and nb >= d + timedelta(hours=3):
            return True
    return False


def robust(a, b, target, met):
    """The verdict wanted, with a margin of a minute or two under the real and the wall-clock
    time, and of an hour more when a change of offset can fall inside the interval."""
    w = wall_minutes(a, b)
    candidates = {minutes(a, b), w}
    if spans_dst_hour(a, b):
        candidates |= {w - 60, w + 60}
    if met and not max(candidates) <= target - 2:
        return False
    if not met and not min(candidates) >= target + 2:
        return False
    return not unsafe_local(a) and not unsafe_local(b)


def month(t):
    return t.astimezone(BERLIN).strftime("%Y-%m")


def opening_time(rng, start, end, priority):
    """Office hours are busier for P3/P4; P1/P2 come around the clock."""
    while True:
        t = start + timedelta(seconds=rng.randrange(int((end - start).total_seconds())))
        local = t.astimezone(BERLIN)
        busy = local.weekday() < 5 and 8 <= local.hour < 18
        if unsafe_local(t):
            continue
        if priority in ("P1", "P2") or busy or rng.random() < 0.25:
            return t


def lognormal_minutes(rng, median, sigma, lo, hi):
    return min(hi, max(lo, rng.lognormvariate(math.log(median), sigma)))


# Typical times in minutes (median, sigma) as a share of the target, for met tickets.
RESPONSE_SHARE = {"P1": (0.30, 0.5), "P2": (0.30, 0.6), "P3": (0.20, 0.8), "P4": (0.15, 0.9)}
RESOLUTION_SHARE = {"P1": (0.45, 0.35), "P2": (0.45, 0.45), "P3": (0.25, 0.8), "P4": (0.25, 0.8)}
MISSABLE = ("P3", "P4")          # P1 and P2 never miss (their months are too small to absorb one)
MISS_SPACING = timedelta(days=35)  # misses of one series at least this far apart
MISS_WINDOW_MIN = 12             # tickets counted in every 31-day window around a miss
MISSES_PER_SERIES = 3            # planted per (SLA, P3/P4, metric), where the rules allow
SEPTEMBER_RESOLUTION_MISSES = 1  # over both SLAs: INC0012891 only, as the September report says
PLAN = (("Online Banking", 285), ("Payments", 255))
PLANTED_NUMBER = 12891           # INC0012891, cited by the September report and problem-2026-021


def make_ticket(rng, service, priority, opened, want):
    """Response and resolution times with the verdicts in `want`, resolved by END; None if the
    draw does not fit (the caller draws again)."""
    sla = SERVICES[service][1]
    target = TARGETS[sla][priority]
    for _ in range(400):
        rt = target["response"]
        if want["response"]:
            med, sig = RESPONSE_SHARE[priority]
            r_min = lognormal_minutes(rng, med * rt, sig, 1, rt - 3)
        else:
            r_min = rt * rng.uniform(1.1, 2.5)
        responded = opened + timedelta(seconds=int(r_min * 60) + rng.randrange(60))
        st = target["resolution"]
        if want["resolution"]:
            med, sig = RESOLUTION_SHARE[priority]
            s_min = lognormal_minutes(rng, med * st, sig, r_min + 5, st - 3)
        else:
            s_min = st * rng.uniform(1.05, 1.8)
        resolved = opened + timedelta(seconds=int(s_min * 60) + rng.randrange(60))
        if resolved <= responded or resolved > END:
            continue
        if robust(opened, responded, rt, want["response"]) and robust(opened, resolved, st, want["resolution"]):
            return responded, resolved
    return None


def sla_of(t):
    return SERVICES[t["service"]][1]


def events(tickets):
    """(sla, priority, metric) -> [(when counted, met, ticket)], in the model (not shifted)."""
    out = defaultdict(list)
    for t in tickets:
        target = TARGETS[sla_of(t)][t["priority"]]
        key = (sla_of(t), t["priority"])
        out[key + ("response",)].append(
            (t["responded"], minutes(t["opened"], t["responded"]) <= target["response"], t))
        if t["resolved"] is not None:
            out[key + ("resolution",)].append(
                (t["resolved"], minutes(t["opened"], t["resolved"]) <= target["resolution"], t))
        elif t["deadline"] <= END:
            out[key + ("resolution",)].append((t["deadline"], False, t))
    return out


DAY0 = date(2026, 1, 1).toordinal()


def day_index(t):
    return naive(t).date().toordinal() - DAY0


def problems(tickets):
    """What breaks the rules (empty when none); see the module docstring."""
    found = []
    september = 0
    for key, evs in events(tickets).items():
        sla, priority, metric = key
        misses = sorted(when for when, met, _ in evs if not met)
        if metric == "resolution":
            september += sum(month(m) == "2026-09" for m in misses)
        if not misses:
            continue
        if priority not in MISSABLE:
            found.append(f"{key}: a {priority} misses")
            continue
        for a, b in zip(misses, misses[1:]):
            if b - a < MISS_SPACING:
                found.append(f"{key}: misses {fmt(a)} and {fmt(b)} closer than {MISS_SPACING.days} days")
        days = [day_index(when) for when, _, _ in evs]
        size = max(days) + 40
        count = [0] * (size + 1)
        missed = [0] * (size + 1)
        for (when, met, _), d in zip(evs, days):
            count[d + 1] += 1
            missed[d + 1] += not met
        for i in range(size):
            count[i + 1] += count[i]
            missed[i + 1] += missed[i]

        def window(lo, hi):  # days [lo, hi)
            lo, hi = max(lo, 0), min(hi, size)
            return (count[hi] - count[lo], missed[hi] - missed[lo]) if lo < hi else (0, 0)

        for m in misses:
            dm = day_index(m)
            for lo in range(dm - 30, dm + 1):
                if window(lo, lo + 31)[0] < MISS_WINDOW_MIN:
                    found.append(f"{key}: fewer than {MISS_WINDOW_MIN} tickets in the 31 days from day {lo} around {fmt(m)}")
                    break
            for lo in range(dm - 31, dm + 1):  # every month-like window that contains it
                for length in (28, 29, 30, 31):
                    n, k = window(lo, lo + length)
                    if n and (n - k) * 100 < REQUIRED * n:
                        found.append(f"{key}: {n - k}/{n} in {length} days from day {lo}")
    if september > SEPTEMBER_RESOLUTION_MISSES:
        found.append(f"{september} resolution misses in 2026-09")
    return found


def main():
    rng = random.Random(SEED)
    tickets = []
    # About 545 incidents: online banking busier than payments; priorities skewed to P3/P4.
    plan = []
    for service, count in PLAN:
        for _ in range(count):
            priority = rng.choices(["P1", "P2", "P3", "P4"], weights=[2.5, 10, 47, 40.5])[0]
            plan.append((service, priority))
    # All within their targets at first; the misses are planted below, where the rules allow.
    for service, priority in plan:
        want = {"response": True, "resolution": True}
        while True:
            opened = opening_time(rng, FIRST_OPEN, END - timedelta(hours=6), priority)
            times = make_ticket(rng, service, priority, opened, want)
            if times:
                break
        tickets.append({"service": service, "priority": priority, "opened": opened,
                        "responded": times[0], "resolved": times[1], "want": dict(want)})
    # One payments P3 in September 2026 misses its resolution target (a scheme gateway
    # certificate issue; the September service report and problem-2026-021 cite it).
    planted = {"service": "Payments", "priority": "P3", "want": {"response": True, "resolution": False},
               "short": "Scheme gateway rejects payments after certificate renewal",
               "category": "Security", "ci": "SEPA instant gateway", "group": "Payments Operations",
               "number": PLANTED_NUMBER}
    tickets.append(planted)
    for attempt in range(3000):
        # Opened mid-September, or earlier in the month where the rules would not allow it.
        first = datetime(2026, 9, 14 if attempt < 1000 else 3, 8, tzinfo=BERLIN)
        opened = opening_time(rng, first, datetime(2026, 9, 18, 12, tzinfo=BERLIN), "P3")
        times = make_ticket(rng, "Payments", "P3", opened, planted["want"])
        if times and month(times[1]) == "2026-09":
            planted.update(opened=opened, responded=times[0], resolved=times[1])
            if not problems(tickets):
                break
    else:
        sys.exit(f"cannot place INC0012891 in September 2026: {problems(tickets)}")
    # Still open at the end of October, waiting on a supplier or a fix: long past their
    # resolution deadline, so they are open_breached whatever day the data is judged on.
    for service, priority in (("Online Banking", "P4"), ("Payments", "P3"), ("Online Banking", "P3")):
        t = {"service": service, "priority": priority, "resolved": None,
             "want": {"response": True, "resolution": False}}
        tickets.append(t)
        target = TARGETS[SERVICES[service][1]][priority]
        for _ in range(5000):
            opened = opening_time(rng, datetime(2026, 6, 1, 8, tzinfo=BERLIN),
                                  datetime(2026, 9, 30, 17, tzinfo=BERLIN), priority)
            local = opened.astimezone(BERLIN)
            if not (local.weekday() < 5 and 8 <= local.hour < 17):
                continue
            responded = opened + timedelta(minutes=target["response"] * rng.uniform(0.1, 0.5), seconds=rng.randrange(60))
            deadline = opened + timedelta(minutes=target["resolution"])
            if not robust(opened, responded, target["response"], True):
                continue
            t.update(opened=opened, responded=responded, deadline=deadline)
            if not problems(tickets):
                break
        else:
            sys.exit(f"cannot place an open {service} {priority}")
    plant_misses(rng, tickets)

    tickets.sort(key=lambda t: t["opened"])
    number_tickets(rng, tickets)
    rows = to_rows(rng, tickets)
    data = io.StringIO()
    writer = csv.writer(data, lineterminator="\r\n")  # ServiceNow writes CRLF
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(data.getvalue().encode("utf-8"))
    report(tickets)
    verify(OUT.read_bytes().decode("utf-8"))


def plant_misses(rng, tickets):
    """Turn a few met P3/P4 tickets into misses, one metric at a time, where the rules allow."""
    series = [(sla, priority, metric) for sla in sorted(TARGETS) for priority in MISSABLE
              for metric in ("response", "resolution")]
    for sla, priority, metric in series:
        have = sum(not met for _, met, _ in events(tickets).get((sla, priority, metric), []))
        candidates = [t for t in tickets if sla_of(t) == sla and t["priority"] == priority
                      and t["resolved"] is not None and "short" not in t and all(t["want"].values())]
        rng.shuffle(candidates)
        for t in candidates:
            if have >= MISSES_PER_SERIES:
                break
            saved = (t["responded"], t["resolved"], dict(t["want"]))
            t["want"][metric] = False
            times = make_ticket(rng, t["service"], priority, t["opened"], t["want"])
            if times:
                t["responded"], t["resolved"] = times
                if not problems(tickets):
                    have += 1
                    continue
            t["responded"], t["resolved"], t["want"] = saved


def number_tickets(rng, tickets):
    """INC numbers in opening order with gaps (other tables' and services' incidents in
    between); the gaps before INC0012891 are evened out so that it keeps its number."""
    gaps = [rng.choice([1, 1, 1, 2, 3, 5]) for _ in tickets]
    at = next(i for i, t in enumerate(tickets) if t.get("number") == PLANTED_NUMBER)
    order = list(range(at + 1))
    rng.shuffle(order)
    for _ in range(20):
        diff = PLANTED_NUMBER - (12001 + sum(gaps[:at + 1]))
        for i in order:
            if diff > 0 and gaps[i] < 5:
                gaps[i] += 1
                diff -= 1
            elif diff < 0 and gaps[i] > 1:
                gaps[i] -= 1
                diff += 1
        if not diff:
            break
    number = 12001
    for t, gap in zip(tickets, gaps):
        number += gap
        t["number"] = number
    assert tickets[at]["number"] == PLANTED_NUMBER


def to_rows(rng, tickets):
    rows = []
    for t in tickets:
        service = t["service"]
        category = t.get("category") or rng.choice(sorted(SHORT[service]))
        short = t.get("short") or rng.choice(SHORT[service][category])
        resolved = t["resolved"]
        closed = resolved + timedelta(days=3) if resolved is not None else None  # auto-close after 3 days
        if closed is not None and (closed > END or unsafe_local(closed)):
            closed = None
        if resolved is None:
            state = "On Hold" if rng.random() < 0.7 else "In Progress"
            updated = t["opened"] + (END - t["opened"]) * rng.uniform(0.3, 0.9)
            while unsafe_local(updated):
                updated += timedelta(hours=1)
        else:
            state = "Closed" if closed else "Resolved"
            updated = closed or resolved
        target = TARGETS[SERVICES[service][1]][t["priority"]]
        made_sla = resolved is not None and minutes(t["opened"], resolved) <= target["resolution"]
        reassigned = rng.choices([0, 1, 2, 3], weights=[55, 30, 10, 5])[0]
        rows.append([
            f"INC{t['number']:07d}", fmt(t["opened"]), short, f"Caller {rng.randrange(1, 900):04d}",
            PRIORITY_LABEL[t["priority"]], state, category,
            t.get("group") or rng.choice(GROUPS[service]), f"Analyst {rng.randrange(1, 40)}",
            service, t.get("ci") or rng.choice(CMDB[service]),
            fmt(resolved) if resolved else "", fmt(closed) if closed else "",
            reassigned, 1 if resolved is not None and rng.random() < 0.03 else 0,
            "true" if made_sla else "false", fmt(updated), fmt(t["responded"]),
        ])
    return rows


def cells(text, shift_days):
    """Recompute, from the written export with every timestamp moved by `shift_days` days (as
    `evident init` moves dates), (sla, priority, month, metric) -> [counted, met]."""
    label = {v: k for k, v in PRIORITY_LABEL.items()}
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    shift = timedelta(days=shift_days)

    def at(value):
        return (datetime.strptime(value, "%Y-%m-%d %H:%M:%S") + shift).replace(tzinfo=BERLIN) if value else None

    def minute(t):  # whole minutes since the epoch, seconds dropped
        return int(t.timestamp()) // 60

    end = max(at(v) for row in rows for k, v in row.items() if k in
              ("opened_at", "resolved_at", "closed_at", "sys_updated_on", "u_responded_at") and v)
    out = defaultdict(lambda: [0, 0])
    for row in rows:
        sla = SERVICES[row["business_service"]][1]
        priority = label[row["priority"]]
        target = TARGETS[sla][priority]
        opened, resolved = at(row["opened_at"]), at(row["resolved_at"])
        responded = at(row["u_responded_at"]) or resolved
        for metric, stop in (("response", responded), ("resolution", resolved)):
            if stop is not None:
                cell = out[(sla, priority, stop.astimezone(BERLIN).strftime("%Y-%m"), metric)]
                cell[0] += 1
                cell[1] += minute(stop) - minute(opened) <= target[metric]
            else:
                deadline = datetime.fromtimestamp((minute(opened) + target[metric]) * 60, BERLIN)
                if deadline <= end:
                    out[(sla, priority, deadline.strftime("%Y-%m"), metric)][0] += 1
    return out


def verify(text, shifts=range(0, 31)):
    """Every cell meets the required attainment with the dates moved by each of `shifts` days."""
    failed = []
    for shift in shifts:
        for key, (counted, met) in sorted(cells(text, shift).items()):
            if counted and met * 100 < REQUIRED * counted:
                failed.append((shift,) + key + (f"{met}/{counted}",))
    assert not failed, f"below {REQUIRED}% after moving the dates: {failed}"
    print(f"checked: every (SLA, priority, month, metric) meets {REQUIRED}% with the dates moved by "
          f"{min(shifts)}..{max(shifts)} days")


def report(tickets):
    print(f"wrote {OUT.relative_to(ROOT)}: {len(tickets)} incidents, "
          f"{sum(t['resolved'] is None for t in tickets)} open, {OUT.stat().st_size} bytes")
    found = problems(tickets)
    assert not found, found
    text = OUT.read_bytes().decode("utf-8")
    g = cells(text, 0)
    print("sla                 prio  month    metric      counted  met  attainment")
    for key in sorted(g):
        sla, priority, m, metric = key
        counted, met = g[key]
        print(f"{sla:<19} {priority:<5} {m}  {metric:<10} {counted:>8} {met:>4}  {met * 100 / counted:>9.2f}%")
    print("\nmisses per series:")
    for key, evs in sorted(events(tickets).items()):
        misses = sorted((when, t) for when, met, t in evs if not met)
        listed = ", ".join(f"INC{t['number']:07d} {naive(when):%Y-%m-%d}{' (open)' if t['resolved'] is None else ''}"
                           for when, t in misses)
        print(f"  {' '.join(key)}: {len(evs)} counted, {len(misses)} missed{': ' + listed if listed else ''}")
    counted = met = 0
    for (sla, priority, m, metric), cell in g.items():
        if m == "2026-09" and metric == "resolution":
            counted += cell[0]
            met += cell[1]
    print(f"\nSeptember 2026, both SLAs, all priorities, resolution (Incidents resolved within target): "
          f"{met}/{counted} met, {met * 100 / counted:.2f}%")


if __name__ == "__main__":
    main()
