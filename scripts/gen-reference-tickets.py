#!/usr/bin/env python3
"""Generate the reference organization's incident export, policies/tickets/exports/incidents-2026.csv.

Northwind Digital Bank's ServiceNow incident table, exported with display values, for the
incidents of Online Banking and Payments opened from 2026-03-01 to 2026-10-31. The export was
taken at the end of 2026-10-31 (Europe/Berlin): no timestamp in it is later.

The data is fictional and deterministic (fixed seed, standard library only): running the script
twice writes the same bytes. It is realistic enough to exercise the whole `evident sla` path:
most tickets are well within the response and resolution targets of their SLA, a few miss each
month, a few are still open at the end (all of them already past their deadline, so they count
as `open_breached` whatever day the data is judged on), and every (SLA, priority, month) with
tickets meets the 90 % attainment the SLAs require. The script computes that attainment itself,
asserts it, and prints it.

Rules used here (PRODUCT.md 11.3), on the always-on calendar of both SLAs (24x7 in
Europe/Berlin, so business minutes are real elapsed minutes, daylight saving time included):
- response minutes = minutes(u_responded_at - opened_at), resolution minutes =
  minutes(resolved_at - opened_at), whole minutes rounded down; met when <= the target;
- a resolved ticket counts in the month (Europe/Berlin) of its resolved_at, for both metrics;
- an unresolved ticket whose resolution deadline passed by the end of the data counts as missed
  (open_breached) in the month of its deadline.

Timestamps are written naive in Europe/Berlin (`YYYY-MM-DD HH:MM:SS`). None falls in the hour
that is skipped (2026-03-29) or repeated (2026-10-25) by daylight saving time, and no verdict
changes if a reader mistakenly subtracts wall-clock times across a change of offset.

Usage: python3 scripts/gen-reference-tickets.py   (from anywhere; paths are from the repository)
"""

import csv
import io
import math
import random
import re
import sys
from collections import defaultdict
from datetime import datetime, timedelta, timezone
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


def unsafe_local(t):
    """True in the skipped or repeated hour of a daylight saving time change."""
    local = t.astimezone(BERLIN)
    return (local.month, local.day, local.hour) in {(3, 29, 2), (10, 25, 2)}


def minutes(a, b):
    return math.floor((b - a).total_seconds() / 60)


def wall_minutes(a, b):
    """What a reader that ignores offsets would compute: naive local difference."""
    na = a.astimezone(BERLIN).replace(tzinfo=None)
    nb = b.astimezone(BERLIN).replace(tzinfo=None)
    return math.floor((nb - na).total_seconds() / 60)


def robust(a, b, target, met):
    """The verdict wanted, with at least a minute of margin, under real and wall-clock time."""
    for m in (minutes(a, b), wall_minutes(a, b)):
        if met and not m <= target - 1:
            return False
        if not met and not m >= target + 2:
            return False
    return not unsafe_local(b)


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
MISS_RATE = {"response": {"P1": 0.0, "P2": 0.01, "P3": 0.025, "P4": 0.02},
             "resolution": {"P1": 0.02, "P2": 0.02, "P3": 0.035, "P4": 0.03}}


def make_ticket(rng, service, priority, opened, want):
    """Response and resolution times with the verdicts in `want`, resolved by END; None if the
    draw does not fit (the caller draws again)."""
    sla = SERVICES[service][1]
    target = TARGETS[sla][priority]
    for _ in range(400):
        rt = target["response"]
        if want["response"]:
            med, sig = RESPONSE_SHARE[priority]
            r_min = lognormal_minutes(rng, med * rt, sig, 1, rt - 2)
        else:
            r_min = rt * rng.uniform(1.1, 2.5)
        responded = opened + timedelta(seconds=int(r_min * 60) + rng.randrange(60))
        st = target["resolution"]
        if want["resolution"]:
            med, sig = RESOLUTION_SHARE[priority]
            s_min = lognormal_minutes(rng, med * st, sig, r_min + 5, st - 2)
        else:
            s_min = st * rng.uniform(1.05, 1.8)
        resolved = opened + timedelta(seconds=int(s_min * 60) + rng.randrange(60))
        if resolved <= responded or resolved > END:
            continue
        if robust(opened, responded, rt, want["response"]) and robust(opened, resolved, st, want["resolution"]):
            return responded, resolved
    return None


def main():
    rng = random.Random(SEED)
    tickets = []
    # About 545 incidents: online banking busier than payments; priorities skewed to P3/P4.
    plan = []
    for service, count in (("Online Banking", 300), ("Payments", 240)):
        for _ in range(count):
            priority = rng.choices(["P1", "P2", "P3", "P4"], weights=[2.5, 10, 47, 40.5])[0]
            plan.append((service, priority))
    for service, priority in plan:
        while True:
            want = {metric: rng.random() >= MISS_RATE[metric][priority] for metric in ("response", "resolution")}
            opened = opening_time(rng, FIRST_OPEN, END - timedelta(hours=6), priority)
            times = make_ticket(rng, service, priority, opened, want)
            if times:
                break
        tickets.append({"service": service, "priority": priority, "opened": opened,
                        "responded": times[0], "resolved": times[1], "want": want})
    # One payments P3 in September 2026 misses its resolution target (a scheme gateway
    # certificate issue; the September service report may quote it).
    while True:
        opened = opening_time(rng, datetime(2026, 9, 14, 8, tzinfo=BERLIN), datetime(2026, 9, 18, 12, tzinfo=BERLIN), "P3")
        want = {"response": True, "resolution": False}
        times = make_ticket(rng, "Payments", "P3", opened, want)
        if times and month(times[1]) == "2026-09":
            break
    tickets.append({"service": "Payments", "priority": "P3", "opened": opened, "responded": times[0],
                    "resolved": times[1], "want": want,
                    "short": "Scheme gateway rejects payments after certificate renewal",
                    "category": "Security", "ci": "SEPA instant gateway", "group": "Payments Operations"})
    # Still open at the end of October, waiting on a supplier or a fix: all past their
    # resolution deadline (in October), so they are open_breached on any later judging day.
    for service, priority, day in (("Online Banking", "P4", 8), ("Payments", "P3", 19),
                                   ("Online Banking", "P3", 23)):
        while True:
            opened = opening_time(rng, datetime(2026, 10, day, 8, tzinfo=BERLIN),
                                  datetime(2026, 10, day, 17, tzinfo=BERLIN), priority)
            target = TARGETS[SERVICES[service][1]][priority]
            responded = opened + timedelta(minutes=target["response"] * rng.uniform(0.1, 0.5))
            deadline = opened + timedelta(minutes=target["resolution"])
            if robust(opened, responded, target["response"], True) and month(deadline) == "2026-10" \
                    and deadline < END - timedelta(days=1):
                break
        tickets.append({"service": service, "priority": priority, "opened": opened,
                        "responded": responded, "resolved": None, "deadline": deadline,
                        "want": {"response": True, "resolution": False}})

    repair(rng, tickets)
    tickets.sort(key=lambda t: t["opened"])
    rows = to_rows(rng, tickets)
    data = io.StringIO()
    writer = csv.writer(data, lineterminator="\r\n")  # ServiceNow writes CRLF
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(data.getvalue().encode("utf-8"))
    report(tickets)


def groups(tickets):
    """(sla, priority, month, metric) -> [tickets counted, met, open_breached]."""
    g = defaultdict(lambda: [0, 0, 0])
    for t in tickets:
        sla = SERVICES[t["service"]][1]
        target = TARGETS[sla][t["priority"]]
        if t["resolved"] is None:
            if t["deadline"] <= END:
                g[(sla, t["priority"], month(t["deadline"]), "resolution")][2] += 1
            continue
        m = month(t["resolved"])
        for metric, stop in (("response", t["responded"]), ("resolution", t["resolved"])):
            cell = g[(sla, t["priority"], m, metric)]
            cell[0] += 1
            cell[1] += minutes(t["opened"], stop) <= target[metric]
    return g


def attainment_bp(cell):
    counted, met, open_breached = cell
    return met * 10000 // (counted + open_breached)


def repair(rng, tickets):
    """Where a (SLA, priority, month) would fall below the required share plus one point, turn
    one of its planned misses into a met ticket (drawn again, same opening time)."""
    for _ in range(1000):
        g = groups(tickets)
        bad = sorted(k for k, cell in g.items() if attainment_bp(cell) < REQUIRED * 100 + 100)
        if not bad:
            return
        sla, priority, m, metric = bad[0]
        for t in tickets:
            if (t["resolved"] is not None and SERVICES[t["service"]][1] == sla and t["priority"] == priority
                    and month(t["resolved"]) == m and not t["want"][metric] and "short" not in t):
                t["want"][metric] = True
                times = make_ticket(rng, t["service"], priority, t["opened"], t["want"])
                if times and month(times[1]) == m:
                    t["responded"], t["resolved"] = times
                    break
                t["want"][metric] = False
        else:
            sys.exit(f"cannot repair {bad[0]}")
    sys.exit("repair did not converge")


def to_rows(rng, tickets):
    rows = []
    number = 12001
    for t in tickets:
        number += rng.choice([1, 1, 1, 2, 3, 5])  # other tables' and services' incidents in between
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
            f"INC{number:07d}", fmt(t["opened"]), short, f"Caller {rng.randrange(1, 900):04d}",
            PRIORITY_LABEL[t["priority"]], state, category,
            t.get("group") or rng.choice(GROUPS[service]), f"Analyst {rng.randrange(1, 40)}",
            service, t.get("ci") or rng.choice(CMDB[service]),
            fmt(resolved) if resolved else "", fmt(closed) if closed else "",
            reassigned, 1 if resolved is not None and rng.random() < 0.03 else 0,
            "true" if made_sla else "false", fmt(updated), fmt(t["responded"]),
        ])
    return rows


def report(tickets):
    g = groups(tickets)
    print(f"wrote {OUT.relative_to(ROOT)}: {len(tickets)} incidents, "
          f"{sum(t['resolved'] is None for t in tickets)} open, {OUT.stat().st_size} bytes")
    print("sla                 prio  month    metric      tickets  met  open_breached  attainment")
    failed = []
    for key in sorted(g):
        sla, priority, m, metric = key
        cell = g[key]
        bp = attainment_bp(cell)
        print(f"{sla:<19} {priority:<5} {m}  {metric:<10} {cell[0]:>8} {cell[1]:>4} {cell[2]:>14}  {bp / 100:>9.2f}%")
        if bp < REQUIRED * 100:
            failed.append(key)
    print("\nSeptember 2026 (resolved in 2026-09, Europe/Berlin):")
    for sla in sorted(TARGETS):
        for metric in ("response", "resolution"):
            total = [0, 0, 0]
            for priority in ("P1", "P2", "P3", "P4"):
                cell = g.get((sla, priority, "2026-09", metric))
                if cell:
                    total = [a + b for a, b in zip(total, cell)]
                    print(f"  {sla} {priority} {metric}: {cell[1]}/{cell[0] + cell[2]} met, "
                          f"{attainment_bp(cell) / 100:.2f}%")
            print(f"  {sla} all {metric}: {total[1]}/{total[0] + total[2]} met, {attainment_bp(total) / 100:.2f}%")
    both = [0, 0, 0]
    for (sla, priority, m, metric), cell in g.items():
        if m == "2026-09" and metric == "resolution":
            both = [a + b for a, b in zip(both, cell)]
    print(f"  both SLAs, all priorities, resolution: {both[1]}/{both[0] + both[2]} met, {attainment_bp(both) / 100:.2f}%")
    assert not failed, f"below {REQUIRED}%: {failed}"


if __name__ == "__main__":
    main()
