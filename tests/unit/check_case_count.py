#!/usr/bin/env python3
"""The number of unit test cases CTest runs equals the number doctest has.

check_case_count.py BUILD_DIR BINARY: counts the CTest entries that run BINARY
(as doctest_discover_tests made them) and compares with `BINARY --count`.
"""
import json
import os
import re
import subprocess
import sys

build_dir, binary = sys.argv[1], sys.argv[2]
listing = json.loads(subprocess.run(["ctest", "--test-dir", build_dir, "--show-only=json-v1"],
                                    check=True, capture_output=True, text=True).stdout)
entries = [t["name"] for t in listing["tests"]
           if t.get("command") and os.path.basename(t["command"][0]) == os.path.basename(binary)]
count_out = subprocess.run([binary, "--count", "--no-version"], check=True, capture_output=True,
                           text=True).stdout
match = re.search(r"test cases passing the current filters: (\d+)", count_out)
if not match:
    sys.exit(f"cannot read the case count from: {count_out!r}")
cases = int(match.group(1))
print(f"ctest entries running {os.path.basename(binary)}: {len(entries)}; doctest cases: {cases}")
if len(set(entries)) != len(entries):
    sys.exit("some ctest entries have the same name")
sys.exit(0 if len(entries) == cases else 1)
