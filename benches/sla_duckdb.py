#!/usr/bin/env python3
"""The DuckDB peer of `evident sla report` (PRODUCT.md §7): WALL-CLOCK resolution attainment per
priority of the ServiceNow audit-event log, in SQL.

    python3 benches/sla_duckdb.py FILE        # needs `pip install duckdb`

A speed peer, not an oracle: it does the part of the work SQL does naturally (read the CSV with
types, drop the junk rows, take each incident's final record, compare the wall-clock minutes from
opened_at to resolved_at with the target) and none of the business calendar or pauses. Prints
JSON with the figures per priority and the seconds DuckDB took (connect to result).
"""

import argparse
import json
import sys
import time

import duckdb

# Wall-clock minutes: 4 h, 8 h, 3 days, 5 days.
QUERY = """
WITH events AS (
    SELECT number, sys_mod_count, sys_updated_at, opened_at, resolved_at, priority
    FROM read_csv($path, header = true, nullstr = '?', auto_detect = true,
                  timestampformat = '%d/%m/%Y %H:%M',
                  types = {'number': 'VARCHAR', 'incident_state': 'VARCHAR',
                           'sys_mod_count': 'INTEGER', 'sys_updated_at': 'TIMESTAMP',
                           'opened_at': 'TIMESTAMP', 'resolved_at': 'TIMESTAMP',
                           'priority': 'VARCHAR'})
    WHERE incident_state <> '-100'
),
final AS (
    SELECT * FROM events
    QUALIFY row_number() OVER (PARTITION BY number ORDER BY sys_mod_count DESC, sys_updated_at DESC) = 1
),
measured AS (
    SELECT CASE priority WHEN '1 - Critical' THEN 'P1' WHEN '2 - High' THEN 'P2'
                         WHEN '3 - Moderate' THEN 'P3' WHEN '4 - Low' THEN 'P4' END AS p,
           date_diff('minute', opened_at, resolved_at) AS minutes
    FROM final
    WHERE resolved_at IS NOT NULL AND resolved_at >= opened_at
)
SELECT p,
       count(*) AS tickets,
       count(*) FILTER (WHERE minutes <= CASE p WHEN 'P1' THEN 240 WHEN 'P2' THEN 480
                                                WHEN 'P3' THEN 4320 ELSE 7200 END) AS met
FROM measured
WHERE p IS NOT NULL
GROUP BY p
ORDER BY p
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file")
    args = parser.parse_args()
    started = time.monotonic()
    connection = duckdb.connect()
    rows = connection.execute(QUERY, {"path": args.file}).fetchall()
    elapsed = time.monotonic() - started
    priorities = {
        p: {"tickets": tickets, "met": met, "attainment_bp": met * 10000 // tickets}
        for p, tickets, met in rows
    }
    json.dump(
        {"metric": "resolution (wall clock)", "priorities": priorities, "seconds": round(elapsed, 3)},
        sys.stdout,
        sort_keys=True,
        indent=2,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
