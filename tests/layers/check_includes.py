#!/usr/bin/env python3
"""Every source file and every lib/ header compiles without the precompiled headers.

check_includes.py BUILD_DIR [JOBS]

The presets precompile the heavy standard and third-party headers, which hides a
missing #include: a file that uses std::map without <map> builds with them and
breaks without. This reruns each compile of BUILD_DIR's compile_commands.json
with the precompiled headers taken out and -fsyntax-only, and each header of lib/
on its own with its layer's include folder (so a header that includes a layer
above it fails too). Prints each failure and exits 1 if there was one.
"""
import json
import os
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

build = os.path.abspath(sys.argv[1])
jobs = int(sys.argv[2]) if len(sys.argv) > 2 else os.cpu_count() or 2
source = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def without_pch(command):
    args, out, skip = shlex.split(command), [], 0
    for i, a in enumerate(args):
        if skip:
            skip -= 1
            continue
        if a == "-include" and args[i + 1].endswith("cmake_pch.hxx"):
            skip = 1
        elif a in ("-o", "-MF", "-MT"):
            skip = 1
        elif a in ("-c", "-MD", "-Winvalid-pch"):
            continue
        else:
            out.append(a)
    return out


checks = []  # (what, argv, directory, stdin)
by_folder = {}
for entry in json.load(open(os.path.join(build, "compile_commands.json"))):
    path = entry["file"]
    if not path.startswith(source + "/") or path.startswith(build):
        continue  # generated (the country table) or the precompiled-header unit
    if path.endswith("/lib/pch.cpp") or "/tests/layers/" in path:
        continue  # the precompiled-header unit, and the probe that must not compile
    argv = without_pch(entry["command"])
    checks.append((os.path.relpath(path, source), argv + ["-fsyntax-only"], entry["directory"], None))
    by_folder.setdefault(os.path.dirname(path), (argv, entry["directory"], path))

# Each lib/ header alone, with the flags of a source file in its folder.
for folder, (argv, directory, sample) in sorted(by_folder.items()):
    if not folder.startswith(os.path.join(source, "lib")):
        continue
    for name in sorted(os.listdir(folder)):
        if name.endswith(".hpp"):
            header = os.path.join(folder, name)
            flags = [a for a in argv if a != sample]
            # Included from a file of its own, as a source of its layer includes it.
            include = os.path.relpath(header, os.path.join(source, "lib"))
            checks.append((os.path.relpath(header, source), flags + ["-fsyntax-only", "-x", "c++", "-"],
                           directory, f'#include "{include}"\n'))


def run(check):
    what, argv, directory, stdin = check
    done = subprocess.run(argv, cwd=directory, input=stdin or "", capture_output=True, text=True)
    return what, done.returncode, done.stderr


failed = 0
with ThreadPoolExecutor(max_workers=jobs) as pool:
    for what, code, err in pool.map(run, checks):
        if code != 0:
            failed += 1
            print(f"FAIL: {what} does not compile without the precompiled headers\n{err}")
print(f"{len(checks)} files compiled without precompiled headers, {failed} failed")
sys.exit(1 if failed else 0)
