#!/usr/bin/env python3
"""Generate a benchmark corpus from the reference documents in `policies/`.

    python3 benches/gen_corpus.py OUT_DIR --documents N [--nonconforming SHARE] [--seed S]
                                  [--expected FILE] [--git] [--force] [--policies DIR]

The reference set in `policies/` is one complete, conforming organization. This script reads
every document of it and replicates the whole organization as "business units": unit k is
written under `OUT_DIR/policies/uKKKKK/` with every id suffixed `-uKKKKK`. An id is rewritten
wherever it occurs: any string value exactly equal to the id of a reference document is a
reference to it (`metadata.id`, `owner`, `approved_by`, and every spec field that names a Role,
Service, Calendar, Supplier, Plan, Process, SLA, Record or Policy, including typed `{kind, id}`
links), with one exception, `Process.spec.practice`, which names an ITIL 4 practice from the
schema's enum and only looks like a process id. Attachment paths (`policies/...`) move with
their unit. So every unit is a complete conforming organization, and the corpus has no finding.

Only whole units are written (a partial unit would have dangling references): the corpus has
`max(1, N // D)` units of D reference documents (D = 92 today), and the script prints the real
number of documents, which the benchmarks use for per-document figures.

`--nonconforming SHARE` gives that share of the documents (rounded, at most one defect per
document) one defect from DEFECTS below: a dangling owner or approver, a review dated after the
as-of date, a required field dropped, an agreement on a missing calendar, a supplier target below
the agreements it underpins. Each is tied to the control it must trigger and the number of
findings it causes; the kinds take turns. `--expected FILE` writes the findings expected per
control code as JSON (`{"documents": D, "defects": {...}, "findings": {CODE: COUNT}}`); a
conforming corpus expects none. Output is deterministic: the same arguments and seed give
identical files.

YAML is written by dumping the data with PyYAML (comments of the reference files are not kept).
Needs Python 3 and PyYAML.
"""

import argparse
import datetime
import json
import os
import random
import shutil
import subprocess
import sys

try:
    import yaml
except ImportError:  # pragma: no cover - reported to the user
    sys.exit("gen_corpus.py needs PyYAML (Debian: python3-yaml; pip: pyyaml)")

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_POLICIES = os.path.join(os.path.dirname(HERE), "policies")
DEFAULT_CONTROLS = os.path.join(os.path.dirname(HERE), "controls")

# String values that equal a process id but are not references: the ITIL 4 practice a Process
# implements is an enum value of the schema (`$defs/practice`), and the reference processes are
# named after their practices; likewise the clause a policy commitment answers (`to`), one value
# of which is `continual-improvement`.
NOT_REFERENCES = {("Process", ("spec", "practice")), ("Policy", ("spec", "commitments", "to"))}

# A date after the as-of date of the benchmarks (2026-11-21).
FUTURE = datetime.date(2027, 3, 1)


# -------------------------------------------------------------------------------------------
# Defects. Each touches only the document it is applied to and causes a known number of findings
# per control code, `findings(doc, reference)` (tests/integration/bench_corpus.rs checks that on a
# generated corpus). `reference` is the list of reference documents, for defects whose findings
# are reported on the documents that rely on the defective one.
class Defect:
    def __init__(self, name, applies, mutate, findings):
        self.name, self.applies, self.mutate, self.findings = name, applies, mutate, findings


def _set(path, value):
    def mutate(d):
        *parents, last = path
        for k in parents:
            d = d[k]
        d[last] = value

    return mutate


def _delete(path):
    def mutate(d):
        *parents, last = path
        for k in parents:
            d = d[k]
        del d[last]

    return mutate


def _kind_in(*kinds):
    return lambda d: d["kind"] in kinds


def _underpinned_slas(doc, reference):
    """SUP targets below an agreement's are reported once on every agreement the supplier underpins."""
    sid = doc["metadata"]["id"]
    n = sum(
        1
        for d in reference
        if d["kind"] == "ServiceLevelAgreement" and sid in ((d["spec"].get("underpinned_by") or {}).get("suppliers") or [])
    )
    return {"SLM-012": n}


ALL_KINDS = ("Calendar", "Plan", "Policy", "Process", "Record", "Role", "Service", "ServiceLevelAgreement", "Supplier")
DEFECTS = [
    # A reference that resolves to nothing. (A Process owner is also its process owner: SMS-033
    # would fire as well, so processes are left out.)
    Defect(
        "dangling-owner",
        _kind_in(*(k for k in ALL_KINDS if k != "Process")),
        _set(("metadata", "owner"), "no-such-role"),
        lambda d, r: {"SMS-004": 1},
    ),
    Defect(
        "dangling-approver",
        lambda d: "approved_by" in d["metadata"],
        _set(("metadata", "approved_by"), "no-such-role"),
        lambda d, r: {"SMS-005": 1},
    ),
    # A review dated after the as-of date. (Processes and policies have controls of their own
    # on review dates that would fire as well.)
    Defect(
        "future-review",
        _kind_in(*(k for k in ALL_KINDS if k not in ("Process", "Policy"))),
        _set(("metadata", "last_reviewed"), FUTURE),
        lambda d, r: {"SMS-058": 1},
    ),
    # A required field dropped: the document no longer matches its kind's schema.
    Defect("missing-title", lambda d: "title" in d["metadata"], _delete(("metadata", "title")), lambda d, r: {"schema": 1}),
    # An agreement measured against a calendar that does not exist.
    Defect(
        "dangling-calendar",
        lambda d: d["kind"] == "ServiceLevelAgreement" and "calendar" in d["spec"],
        _set(("spec", "calendar"), "no-such-calendar"),
        lambda d, r: {"SLM-009": 1},
    ),
    # A supplier target lowered below the agreements it underpins.
    Defect(
        "supplier-availability",
        lambda d: d["kind"] == "Supplier" and "availability" in (d["spec"].get("targets") or {}),
        _set(("spec", "targets", "availability"), 99.0),
        _underpinned_slas,
    ),
]


# -------------------------------------------------------------------------------------------
def read_reference(policies):
    """Every file under `policies` as (relative path, [documents] or None for a non-YAML file)."""
    files = []
    for dirpath, dirnames, names in os.walk(policies):
        dirnames.sort()
        for name in sorted(names):
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, policies).replace(os.sep, "/")
            if name.endswith((".yaml", ".yml")):
                with open(path, encoding="utf-8") as f:
                    docs = [d for d in yaml.load_all(f, Loader=Loader) if d is not None]
                files.append((rel, docs))
            else:
                files.append((rel, None))
    return files


def unique_paths(controls):
    """(kind, path) of every value a `unique` control requires to be unique across documents,
    e.g. a supplier's `spec.contract.id`: each unit gets its own value."""
    found = set()
    for dirpath, dirnames, names in os.walk(controls):
        dirnames.sort()
        for name in sorted(names):
            if not name.endswith((".yaml", ".yml")):
                continue
            with open(os.path.join(dirpath, name), encoding="utf-8") as f:
                for c in yaml.load_all(f, Loader=Loader):
                    check = (c or {}).get("check") if isinstance(c, dict) else None
                    kind = ((c or {}).get("applies_to") or {}).get("kind") if isinstance(c, dict) else None
                    if isinstance(check, dict) and isinstance(check.get("unique"), dict) and kind:
                        found.add((kind, tuple(check["unique"]["path"].split("."))))
    return found


def rewrite(value, kind, path, ids, suffix, attachments, unit, unique=frozenset()):
    """A copy of `value` with every id, unique value and attachment path moved into the unit."""
    if isinstance(value, dict):
        return {k: rewrite(v, kind, path + (k,), ids, suffix, attachments, unit, unique) for k, v in value.items()}
    if isinstance(value, list):
        return [rewrite(v, kind, path, ids, suffix, attachments, unit, unique) for v in value]
    if isinstance(value, str):
        if value in ids and (kind, path) not in NOT_REFERENCES:
            return value + suffix
        if (kind, path) in unique:
            return value + suffix
        if value in attachments:
            return f"policies/{unit}/" + value[len("policies/"):]
    return value


def dump(docs):
    return yaml.dump_all(
        docs, Dumper=Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="folder to write (OUT/evident.yaml and OUT/policies/)")
    ap.add_argument("--documents", type=int, required=True, help="documents wanted (whole units are written)")
    ap.add_argument("--nonconforming", type=float, default=0.0, help="share of documents given a defect, 0..1")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--expected", help="write the expected findings per control code (JSON) here")
    ap.add_argument("--git", action="store_true", help="make one commit with a fixed author and date")
    ap.add_argument("--force", action="store_true", help="replace OUT if it exists")
    ap.add_argument("--policies", default=DEFAULT_POLICIES, help="reference documents (default: policies/)")
    ap.add_argument("--controls", default=DEFAULT_CONTROLS, help="control library, for `unique` values (default: controls/)")
    args = ap.parse_args()
    if not 0.0 <= args.nonconforming <= 1.0:
        ap.error("--nonconforming must be between 0 and 1")

    files = read_reference(args.policies)
    unique = unique_paths(args.controls)
    ids = set()
    for _, docs in files:
        for d in docs or []:
            ids.add(d["metadata"]["id"])
    reference = [d for _, docs in files for d in docs or []]
    per_unit = len(reference)
    attachments = {"policies/" + rel for rel, docs in files if docs is None}
    units = max(1, args.documents // per_unit)
    width = max(5, len(str(units)))

    if os.path.exists(args.out):
        if not args.force and os.listdir(args.out):
            sys.exit(f"{args.out} exists and is not empty (use --force to replace it)")
        shutil.rmtree(args.out)
    os.makedirs(os.path.join(args.out, "policies"))
    with open(os.path.join(args.out, "evident.yaml"), "w", encoding="utf-8") as f:
        f.write(
            dump(
                [
                    {
                        "apiVersion": "evident/v1",
                        "kind": "Config",
                        "organization": f"Benchmark corpus: {units} units of the reference organization",
                        "documents": ["policies"],
                        "as_of": datetime.date(2026, 11, 21),
                    }
                ]
            )
        )

    # Choose the defective documents up front: document number -> defect, at most one each.
    total = units * per_unit
    slots = []  # (unit, file index, document index, kind-applicable defects)
    for u in range(units):
        for fi, (_, docs) in enumerate(files):
            for di, d in enumerate(docs or []):
                slots.append((u, fi, di, [x for x in DEFECTS if x.applies(d)]))
    # Defect kinds take turns, each on a random document it applies to, so that rare kinds (a
    # supplier, an agreement) are as frequent as common ones until their documents run out.
    rng = random.Random(args.seed)
    wanted = round(args.nonconforming * total)
    pools = []
    for defect in DEFECTS:
        pool = [i for i, s in enumerate(slots) if defect in s[3]]
        rng.shuffle(pool)
        pools.append((defect, pool))
    chosen = {}
    while len(chosen) < wanted and any(pool for _, pool in pools):
        for defect, pool in pools:
            while pool and (slots[pool[-1]][0], slots[pool[-1]][1], slots[pool[-1]][2]) in chosen:
                pool.pop()
            if pool and len(chosen) < wanted:
                u, fi, di, _ = slots[pool.pop()]
                chosen[(u, fi, di)] = defect
    if len(chosen) < wanted:
        sys.exit(f"--nonconforming {args.nonconforming}: only {len(chosen)} of {total} documents can take a defect")

    expected, applied = {}, {}
    for u in range(units):
        unit = f"u{u:0{width}d}"
        suffix = "-" + unit
        for fi, (rel, docs) in enumerate(files):
            dest = os.path.join(args.out, "policies", unit, rel)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            if docs is None:
                shutil.copyfile(os.path.join(args.policies, rel), dest)
                continue
            out = []
            for di, d in enumerate(docs):
                nd = rewrite(d, d["kind"], (), ids, suffix, attachments, unit, unique)
                defect = chosen.get((u, fi, di))
                if defect:
                    defect.mutate(nd)
                    for code, count in defect.findings(d, reference).items():
                        expected[code] = expected.get(code, 0) + count
                    applied[defect.name] = applied.get(defect.name, 0) + 1
                out.append(nd)
            with open(dest, "w", encoding="utf-8") as f:
                f.write(dump(out))

    if args.expected:
        with open(args.expected, "w", encoding="utf-8") as f:
            json.dump(
                {
                    "documents": total,
                    "units": units,
                    "seed": args.seed,
                    "nonconforming": len(chosen),
                    "defects": dict(sorted(applied.items())),
                    "findings": dict(sorted(expected.items())),
                },
                f,
                indent=2,
                sort_keys=False,
            )
            f.write("\n")
    if args.git:
        env = dict(
            os.environ,
            GIT_AUTHOR_NAME="Evident Bench",
            GIT_AUTHOR_EMAIL="bench@example.invalid",
            GIT_AUTHOR_DATE="2026-11-21T00:00:00Z",
            GIT_COMMITTER_NAME="Evident Bench",
            GIT_COMMITTER_EMAIL="bench@example.invalid",
            GIT_COMMITTER_DATE="2026-11-21T00:00:00Z",
        )
        subprocess.run(["git", "init", "-q", "-b", "main", args.out], check=True, env=env)
        subprocess.run(["git", "-C", args.out, "add", "-A"], check=True, env=env)
        subprocess.run(["git", "-C", args.out, "commit", "-q", "-m", "Generated corpus"], check=True, env=env)
    print(
        f"{total} documents ({units} units of {per_unit}), {len(chosen)} nonconforming, seed {args.seed}: {args.out}"
    )


if __name__ == "__main__":
    main()
