#!/usr/bin/env python3
"""Fails the build when a doctest case name cannot be a CTest test name.

doctest_discover_tests turns every case into one CTest entry, and CTest splits a
name at ';' into entries that run nothing and pass. Run after linking the unit
test binary: check_case_names.py BINARY
"""
import subprocess
import sys

out = subprocess.run([sys.argv[1], "--list-test-cases", "--no-version"], check=True,
                     capture_output=True, text=True).stdout
bad = [line for line in out.splitlines() if ";" in line and not line.startswith("[doctest]")]
for name in bad:
    print(f"error: doctest case name has a ';', which CTest splits: {name}", file=sys.stderr)
sys.exit(1 if bad else 0)
