#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: install what is missing, build
# the dev preset (-Werror) and the asan preset (ASan+UBSan), run every test
# through CTest in both.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
status=0
for preset in dev asan; do
  scripts/build.sh "$preset"
  echo "== ctest ($preset)"
  figures=build/$preset/Testing/figures.txt
  mkdir -p "build/$preset/Testing" && rm -f "$figures"
  ctest --preset "$preset" -j2 || status=1
  # What the reliability suites and the fuzzers measured (trials, failures, runs).
  echo "== figures ($preset)"
  cat "$figures" 2>/dev/null || true
done
exit $status
