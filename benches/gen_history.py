#!/usr/bin/env python3
"""Give a generated corpus a git history, for the `evident gate` benchmark.

    python3 benches/gen_history.py REPO COMMITS

REPO is a folder written by gen_corpus.py (without --git). Makes COMMITS commits with
`git fast-import` (fast: thousands of commits in seconds): the first adds every file, each
later one edits one document the way a process owner would (a new patch version of its first
`version:`), cycling through the documents deterministically. The working tree is
left at the last commit. Python 3.11 stdlib only.
"""

import os
import re
import subprocess
import sys


def main():
    repo, commits = sys.argv[1], int(sys.argv[2])
    files = []
    for dirpath, _, names in os.walk(repo):
        if ".git" in dirpath.split(os.sep):
            continue
        for name in sorted(names):
            path = os.path.join(dirpath, name)
            files.append(os.path.relpath(path, repo).replace(os.sep, "/"))
    files.sort()
    docs = [f for f in files if f.startswith("policies/") and f.endswith(".yaml")]
    contents = {f: open(os.path.join(repo, f), "rb").read() for f in files}
    subprocess.run(["git", "init", "-q", "-b", "main", repo], check=True)
    stream = []
    t0 = 1735689600  # 2025-01-01T00:00:00Z; one commit an hour after that

    def commit(i, message, changes):
        who = f"Process Owner <owner@example.invalid> {t0 + 3600 * i} +0000"
        stream.append(f"commit refs/heads/main\nmark :{i + 1}\nauthor {who}\ncommitter {who}\n".encode())
        msg = message.encode()
        stream.append(b"data %d\n%s\n" % (len(msg), msg))
        if i > 0:
            stream.append(f"from :{i}\n".encode())
        for path, data in changes:
            stream.append(f"M 100644 inline {path}\ndata {len(data)}\n".encode())
            stream.append(data + b"\n")

    commit(0, "Initial documents", [(f, contents[f]) for f in files])
    version = re.compile(rb"(version: \d+\.\d+\.)(\d+)")
    for i in range(1, commits):
        path = docs[(i * 7919) % len(docs)]
        text = version.sub(lambda m: m.group(1) + str(int(m.group(2)) + 1).encode(), contents[path], count=1)
        contents[path] = text
        commit(i, f"Review {path}", [(path, text)])
    subprocess.run(["git", "-C", repo, "fast-import", "--quiet"], input=b"".join(stream), check=True)
    subprocess.run(["git", "-C", repo, "checkout", "-q", "-f", "main"], check=True)


if __name__ == "__main__":
    main()
