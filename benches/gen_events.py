#!/usr/bin/env python3
"""Writes a large ticket event log for the SLA benchmark by replicating a real one.

    python3 benches/gen_events.py --events 10000000 SRC OUT

SRC is a CSV event log whose first column is the ticket id, unquoted (the ServiceNow UCI log:
`INC0000045,New,...`). OUT gets SRC's header once, then SRC's data rows over and over until
exactly N events are written (the last copy may be partial). Every copy gives its tickets fresh
ids by appending the copy number to the first field (`INC0000045` -> `INC0000045R0007`), so
tickets of different copies never collide; the rest of every row is byte for byte the source's.

Checks the free space of OUT's folder first and refuses when the file would not fit with 1 GB to
spare. Prints the bytes and events written.
"""

import argparse
import os
import shutil
import sys

SPARE = 1 << 30  # bytes left free on the target file system


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, required=True, help="number of data rows to write")
    parser.add_argument("src")
    parser.add_argument("out")
    args = parser.parse_args()
    if args.events < 0:
        parser.error("--events must be >= 0")

    with open(args.src, "rb") as handle:
        lines = handle.read().splitlines(keepends=True)
    if not lines:
        sys.exit(f"error: {args.src} is empty")
    newline = b"\r\n" if lines[0].endswith(b"\r\n") else b"\n"
    if not lines[-1].endswith(b"\n"):
        lines[-1] += newline  # copies follow each other: every row must end its line
    header, body = lines[0], lines[1:]
    if not body:
        sys.exit(f"error: {args.src} has no data rows")
    # Each row as (id, rest-of-line starting at the first comma).
    rows = []
    for number, line in enumerate(body, start=2):
        comma = line.find(b",")
        if comma <= 0 or line.startswith(b'"'):
            sys.exit(f"error: {args.src}:{number}: the first field is not an unquoted id")
        rows.append((line[:comma], line[comma:]))

    copies = -(-args.events // len(rows))  # ceiling
    width = max(4, len(str(max(copies - 1, 0))))
    body_bytes = sum(len(line) for line in body)
    estimate = len(header) + copies * (body_bytes + len(rows) * (width + 1))
    folder = os.path.dirname(os.path.abspath(args.out))
    free = shutil.disk_usage(folder).free
    if estimate + SPARE > free:
        sys.exit(
            f"error: {args.out} would take about {estimate / 1e9:.2f} GB; "
            f"{folder} has {free / 1e9:.2f} GB free (1 GB must stay free)"
        )

    written = 0
    with open(args.out, "wb", buffering=1 << 22) as out:
        out.write(header)
        size = len(header)
        for copy in range(copies):
            suffix = b"R%0*d" % (width, copy)
            take = min(len(rows), args.events - written)
            chunk = b"".join([ident + suffix + rest for ident, rest in rows[:take]])
            out.write(chunk)
            size += len(chunk)
            written += take
    print(f"wrote {args.out}: {written} events, {size} bytes ({copies} copies of {args.src})")


if __name__ == "__main__":
    main()
