#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time from its seed folders and prints
# what it did: runs, coverage (edges), corpus size. Exits 1 when it found a crash,
# a hang (over 10 s for one input) or memory past 2 GiB; the input that did it is
# kept in $CRM_FUZZ_ARTIFACTS (default: the current folder).
#   tests/fuzz/run.sh FUZZER SECONDS SEED_DIR...
# The corpus it grows is a temporary copy (set CRM_FUZZ_CORPUS to keep one), so
# the seeds in the tree stay as they are.
set -euo pipefail
fuzzer=$1 seconds=$2
shift 2
name=$(basename "$fuzzer")
artifacts=${CRM_FUZZ_ARTIFACTS:-$PWD}
mkdir -p "$artifacts"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
corpus=${CRM_FUZZ_CORPUS:-$tmp/corpus}
mkdir -p "$corpus"

status=0
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$artifacts/$name-" "$corpus" "$@" >"$tmp/log" 2>&1 || status=$?

# libFuzzer's last status line ("#N DONE cov: E ft: F corp: C/..." or the line
# before a crash) and its final stats carry the figures.
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/log" | tail -1)
line=$(grep -E '^#[0-9]+' "$tmp/log" | tail -1 || true)
cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$line")
corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$line")
if [ "$status" -ne 0 ]; then
  grep -E 'ERROR|SUMMARY|Test unit written|deadly signal|#[0-9]+ +in ' "$tmp/log" | head -40 >&2 || true
  echo "$name: FAILED (exit $status) after ${runs:-?} runs in ${seconds}s; see $artifacts" >&2
  exit 1
fi
figures="fuzz: $name: ${runs:-?} runs in ${seconds}s, 0 crashes, cov ${cov:-?} edges, corpus ${corp:-?} inputs"
echo "figures: $figures"
if [ -n "${CRM_FIGURES:-}" ]; then echo "$figures" >>"$CRM_FIGURES"; fi
