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
  ctest --preset "$preset" -j2 || status=1
  # What the reliability suites and the fuzzers measured (trials, failures, runs).
  echo "== figures ($preset)"
  grep -h '^figures: ' "build/$preset/Testing/Temporary/LastTest.log" | sed 's/^figures: //' || true
done
exit $status
