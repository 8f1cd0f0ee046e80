#!/usr/bin/env python3
"""kill -9 at random moments: N trials of one writing command (tests/cli/t-kill.sh).

    kill_trials.py NAME BASE_DIR TRIALS [--rerun] -- CRM_ARGS...

Each trial copies BASE_DIR (a workspace), starts `crm CRM_ARGS` in the copy and
sends it SIGKILL after a random delay: for the first 20 trials, from 0.8 times
what a read command takes (starting up, the lock, the index) to 1.2 times what an
uninterrupted run takes; then around the moments where earlier kills found the
command not started and done (where its writes happen). Then, checked in this order:

1. no record file (nor config.yaml) is empty or torn: each parses as a mapping
   with an id;
2. the next command (a read: `contact list`) exits 0, and no temporary file is
   left after it;
3. the index that command refreshed holds what an index rebuilt from the files
   holds;
4. without --rerun (add, set, log, sale, merge): after `doctor --fix` the
   workspace is either as it was before (the command taken back, or killed
   before it wrote) or exactly as after one clean run; `doctor` finds nothing.
   With --rerun (import, import undo): the same command run again to its end
   leaves exactly the state of one clean run.

Workspaces are compared record by record, as files: every file outside .crm/
with its bytes, where an id the command made (its random 4-character tail
differs from run to run) is written with '????' for that tail.

Prints one line of figures; exits 1 on any failure, naming the trial and what
was wrong (the workspace of the first failure is kept in FAILED-NAME/).
"""
import os
import random
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import time

import yaml

CRM = os.environ["CRM"]
ID_TAIL = re.compile(r"^(.*-)[a-z0-9]{4}$")


def run(ws, *args, check=True):
    p = subprocess.run([CRM, "-C", ws, *args], stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if check and p.returncode != 0:
        raise Failure(f"'crm {' '.join(args)}' exited {p.returncode}: {p.stderr.strip()}")
    return p


class Failure(Exception):
    pass


def record_files(ws):
    for root, dirs, files in os.walk(ws):
        rel_root = os.path.relpath(root, ws)
        if rel_root == ".crm" or rel_root.startswith(".crm" + os.sep) or rel_root.startswith(".git"):
            dirs[:] = []
            continue
        for name in files:
            yield os.path.normpath(os.path.join(rel_root, name))


def check_not_torn(ws):
    for rel in list(record_files(ws)) + [os.path.join(".crm", "config.yaml")]:
        name = os.path.basename(rel)
        if not rel.endswith(".yaml") or name.startswith(".crm-tmp-"):
            continue
        with open(os.path.join(ws, rel), "rb") as f:
            text = f.read()
        if not text:
            raise Failure(f"{rel} is empty")
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as e:
            raise Failure(f"{rel} does not parse: {e}")
        if not isinstance(data, dict) or (rel != os.path.join(".crm", "config.yaml") and "id" not in data
                                           and "/" in rel.replace(os.sep, "/")):
            raise Failure(f"{rel} is not a record: {text[:80]!r}")


def temp_files(ws):
    out = []
    for root, _, files in os.walk(ws):
        out += [os.path.join(root, n) for n in files if n.startswith(".crm-tmp-")]
    return out


def index_dump(ws):
    db = sqlite3.connect(os.path.join(ws, ".crm", "index.sqlite"))
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        out = {}
        for t in tables:
            if t in ("meta", "dirs", "dir_entries") or t.startswith("search") or t.startswith("sqlite_"):
                continue
            out[t] = sorted(map(repr, db.execute(f'SELECT * FROM "{t}"')))
        out["search_rows"] = sorted(map(repr, db.execute("SELECT type, record_id, originals FROM search_rows")))
        return out
    finally:
        db.close()


def check_index_agrees(ws, scratch):
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(ws, scratch, symlinks=True,
                    ignore=lambda d, names: [n for n in names if n.startswith("index.sqlite")])
    run(scratch, "contact", "list", "--format", "ids")
    mine, rebuilt = index_dump(ws), index_dump(scratch)
    for table in sorted(set(mine) | set(rebuilt)):
        if mine.get(table) != rebuilt.get(table):
            raise Failure(f"the index's {table} differs from a rebuild: "
                          f"{sorted(set(mine.get(table, [])) ^ set(rebuilt.get(table, [])))[:3]}")


def canonical(ws, base_ids):
    """The workspace's files, an id new since base written with '????' for its tail."""
    files = {rel: open(os.path.join(ws, rel), "rb").read() for rel in record_files(ws)}
    new_ids = set()
    for rel in files:
        stem = os.path.splitext(os.path.basename(rel))[0]
        if rel.endswith(".yaml") and stem not in base_ids and ID_TAIL.match(stem):
            new_ids.add(stem)
    # Longest first, so that an id inside another is not replaced halfway.
    subs = [(i.encode(), ID_TAIL.sub(r"\1????", i).encode()) for i in sorted(new_ids, key=len, reverse=True)]
    out = []
    for rel, data in files.items():
        key = rel.encode()
        for old, new in subs:
            key = key.replace(old, new)
            data = data.replace(old, new)
        out.append((key, data))
    return sorted(out)


def aim(outcomes, earliest, latest):
    """Where the writes seem to happen: between the latest kill that left the
    workspace unchanged and the earliest that found the command done (timing
    varies from run to run, so they may cross), with a margin either side."""
    unchanged = [d for d, o in outcomes if o == "unchanged"]
    finished = [d for d, o in outcomes if o == "finished"]
    if not unchanged or not finished:
        return earliest, latest
    a, b = sorted((max(unchanged), min(finished)))
    pad = max(0.0005, 0.2 * (b - a))
    return max(earliest * 0.5, a - pad), min(latest, b + pad)


def ids_of(ws):
    return {os.path.splitext(os.path.basename(rel))[0] for rel in record_files(ws) if rel.endswith(".yaml")}


def diff(a, b):
    da, db = dict(a), dict(b)
    for k in sorted(set(da) | set(db)):
        if da.get(k) != db.get(k):
            return f"{k.decode()}: {'missing' if k not in da else 'extra' if k not in db else 'differs'}"
    return "same files, different multiplicity"


def main():
    args = sys.argv[1:]
    name, base, trials = args[0], os.path.abspath(args[1]), int(args[2])
    rerun = "--rerun" in args[3:args.index("--")]
    command = args[args.index("--") + 1:]
    work = os.path.abspath(f"kill-{name}")
    rng = random.Random(os.environ.get("CRM_KILL_SEED", "crm"))

    base_ids = ids_of(base)
    before = canonical(base, base_ids)

    # Two clean runs: how long one takes, and that the comparison is exact.
    durations, clean = [], []
    for _ in range(3):
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(base, work, symlinks=True)
        start = time.monotonic()
        run(work, *command)
        durations.append(time.monotonic() - start)
        clean.append(canonical(work, base_ids))
    if clean[0] != clean[1] or clean[0] != clean[2]:
        print(f"{name}: two clean runs differ ({diff(clean[0], clean[1])}): cannot compare", file=sys.stderr)
        return 1
    after = clean[0]
    if after == before:
        print(f"{name}: the command changes nothing: nothing to interrupt", file=sys.stderr)
        return 1
    # Most of a short command is starting up and reading: kills are aimed from the
    # time a read takes (start, lock, index) to a little past the end.
    reads = []
    for _ in range(3):
        start = time.monotonic()
        run(work, "contact", "list", "--format", "ids")
        reads.append(time.monotonic() - start)
    earliest = min(statistics.median(reads) * 0.8, statistics.median(durations) * 0.5)
    window = statistics.median(durations) * 1.2

    counts = {"unchanged": 0, "interrupted": 0, "finished": 0}
    outcomes = []  # (delay, what the kill left)
    failures = 0
    for trial in range(1, trials + 1):
        ws = os.path.join(work, "ws")
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(base, ws, symlinks=True)
        delay = rng.uniform(*aim(outcomes, earliest, window) if trial > 20 else (earliest, window))
        try:
            proc = subprocess.Popen([CRM, "-C", ws, *command], stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            state = canonical(ws, base_ids)
            journal = os.path.join(ws, ".crm", "changes")
            journal_open = os.path.isdir(journal) and bool(os.listdir(journal))
            if not journal_open and state == before:
                outcome = "unchanged"
            elif not journal_open and state == after:
                outcome = "finished"
            else:
                outcome = "interrupted"
            counts[outcome] += 1
            outcomes.append((delay, outcome))

            check_not_torn(ws)
            run(ws, "contact", "list", "--format", "ids")
            if temp_files(ws):
                raise Failure(f"temporary files left after the next command: {temp_files(ws)}")
            check_index_agrees(ws, os.path.join(work, "rebuilt"))

            fixed = run(ws, "doctor", "--fix", check=False)
            state = canonical(ws, base_ids)
            if rerun and state != after:
                run(ws, *command)
                state = canonical(ws, base_ids)
                fixed = run(ws, "doctor", check=False)
            if fixed.returncode != 0 or fixed.stdout != "no problems found\n":
                raise Failure(f"doctor: {fixed.stdout.strip()} {fixed.stderr.strip()}")
            if rerun and state != after:
                raise Failure(f"run again, it is not the state of one clean run ({diff(state, after)})")
            if not rerun and state not in (before, after):
                raise Failure(f"neither as before nor as after a clean run ({diff(state, before)}; {diff(state, after)})")
        except Failure as e:
            failures += 1
            print(f"{name}: trial {trial} (killed after {delay * 1000:.1f} ms): {e}", file=sys.stderr)
            if failures == 1:
                shutil.rmtree(f"FAILED-{name}", ignore_errors=True)
                shutil.copytree(ws, f"FAILED-{name}", symlinks=True)
    shutil.rmtree(work, ignore_errors=True)
    print(f"{name}: {trials} trials, killed {min(d for d, _ in outcomes) * 1000:.0f}-"
          f"{max(d for d, _ in outcomes) * 1000:.0f} ms after the start "
          f"(before any change {counts['unchanged']}, midway {counts['interrupted']}, "
          f"after the end {counts['finished']}), {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
