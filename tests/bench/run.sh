#!/usr/bin/env bash
# Measure crm against the floors of DESIGN.md section 7 and print one table per size.
#
#   tests/bench/run.sh [--sizes "10000 100000"] [--activities K] [--crm PATH] [--floor PATH] [--keep DIR]
#
# Builds nothing: takes an existing crm binary (default build/release/cmd/crm, else
# build/dev/cmd/crm) and crm_bench_floor from the same build tree. Ratios are
# reported, never enforced: the exit status is non-zero only when a command failed.
set -euo pipefail

# The floor of `crm contact list`: the sqlite3 CLI running the same query on the same
# index. This must stay the query `contact list` runs (lib/index); change both together.
LIST_SQL="SELECT data FROM contacts ORDER BY sort_key, id"

RUNS_FAST=5    # timed runs for quick commands (after one warm-up run)
RUNS_SLOW=3    # timed runs for whole-workspace commands: rebuild, parse, file writes
ADDS=1000      # contact add loop, at the smallest size only
SHOW_SLACK_MS=10
VERSION_BUDGET_MS=5

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-python3}

usage() {
  cat <<EOF
usage: tests/bench/run.sh [--sizes "N..."] [--activities K] [--crm PATH] [--floor PATH] [--keep DIR]
  --sizes "N..."  contact counts to measure (default "10000 100000")
  --activities K  also K activity files per contact (DESIGN.md 7: ~10), and time
                  timeline, search, due and activity list (default 0)
  --crm PATH      crm binary (default build/release/cmd/crm, else build/dev/cmd/crm)
  --floor PATH    crm_bench_floor (default: tests/bench/ in the crm binary's build tree)
  --keep DIR      build the workspaces in DIR and leave them there
EOF
}

die() { echo "run.sh: $*" >&2; exit 1; }

sizes="10000 100000"
activities=0
crm=""
floor=""
keep=""
while (($# > 0)); do
  case $1 in
    --sizes) sizes=${2:?--sizes needs a value}; shift 2 ;;
    --activities) activities=${2:?--activities needs a value}; shift 2 ;;
    --crm) crm=${2:?--crm needs a path}; shift 2 ;;
    --floor) floor=${2:?--floor needs a path}; shift 2 ;;
    --keep) keep=${2:?--keep needs a directory}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done

if [[ -z $crm ]]; then
  for preset in release dev; do
    if [[ -x $root/build/$preset/cmd/crm ]]; then crm=$root/build/$preset/cmd/crm; break; fi
  done
  [[ -n $crm ]] || die "no crm binary; build one: cmake --preset release && cmake --build --preset release"
fi
[[ -x $crm ]] || die "not executable: $crm"
crm=$(cd "$(dirname "$crm")" && pwd)/$(basename "$crm")
if [[ -z $floor ]]; then
  floor=$(dirname "$(dirname "$crm")")/tests/bench/crm_bench_floor
fi
[[ -x $floor ]] || die "no crm_bench_floor at $floor (it is built with crm: target crm_bench_floor)"
floor=$(cd "$(dirname "$floor")" && pwd)/$(basename "$floor")
for tool in git sqlite3 "$python"; do
  command -v "$tool" > /dev/null || die "missing tool: $tool"
done
sorted_sizes=$(tr ' ' '\n' <<< "$sizes" | grep -v '^$' | sort -n)
for n in $sorted_sizes; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || die "bad size: $n"
done
smallest=$(head -n 1 <<< "$sorted_sizes")

if [[ -n $keep ]]; then
  mkdir -p "$keep"
  base=$(cd "$keep" && pwd)
else
  base=$(mktemp -d "${TMPDIR:-/tmp}/crm-bench.XXXXXX")
  trap 'rm -rf "$base"' EXIT
fi
errlog=$base/stderr.log

# Clock. Bash 5's EPOCHREALTIME costs no process; `date +%s%N` (the fallback) forks
# one, which would add a millisecond or so to every sample and swamp the 5 ms and
# 10 ms budgets. Sets NOW (nanoseconds).
if [[ -n ${EPOCHREALTIME:-} ]]; then
  clock="bash EPOCHREALTIME (microsecond resolution, no fork)"
  now_ns() { local t=${EPOCHREALTIME/[.,]/}; NOW=$((10#$t * 1000)); }
else
  clock="date +%s%N (one fork per sample)"
  now_ns() { NOW=$(date +%s%N); }
fi

# run_cmd CMD...: stdout discarded, stderr kept for the failure message.
run_cmd() {
  if ! "$@" > /dev/null 2> "$errlog"; then
    echo "run.sh: command failed: $*" >&2
    sed 's/^/  /' "$errlog" >&2
    return 1
  fi
}

# measure RUNS CMD...: one warm-up run, then RUNS timed runs; sets MEDIAN_NS.
measure() {
  local runs=$1 i start
  shift
  local -a samples=()
  run_cmd "$@" || return 1
  for ((i = 0; i < runs; i++)); do
    now_ns; start=$NOW
    run_cmd "$@" || return 1
    now_ns; samples+=($((NOW - start)))
  done
  MEDIAN_NS=$(printf '%s\n' "${samples[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
}

# time_once CMD...: a single timed run, no warm-up (for runs that change the workspace).
time_once() {
  local start
  now_ns; start=$NOW
  run_cmd "$@" || return 1
  now_ns; MEDIAN_NS=$((NOW - start))
}

status=0
# try RUNS CMD...: sets T to the median ns, or to FAIL (and a non-zero exit at the end).
try() {
  if measure "$@"; then
    T=$MEDIAN_NS
  else
    T=FAIL
    status=1
  fi
}

sum_ns() {
  local a
  for a in "$@"; do [[ $a == FAIL ]] && { echo FAIL; return; }; done
  local total=0
  for a in "$@"; do total=$((total + a)); done
  echo "$total"
}

rows=()
# row LABEL CRM_NS FLOOR_NS BUDGET: BUDGET is a ratio ("1.3"), "abs:MS" (crm alone
# under MS milliseconds) or "-" (reported only). Empty CRM_NS or FLOOR_NS = none.
row() { rows+=("$1|$2|$3|$4"); }

print_table() {
  local title=$1
  echo
  echo "== $title"
  printf '%s\n' "${rows[@]}" | awk -F'|' '
    function ms(ns) { return ns == "" ? "-" : ns == "FAIL" ? "FAIL" : sprintf("%.1f", ns / 1e6) }
    BEGIN {
      printf "%-52s %10s %10s %7s %9s  %s\n", "measurement", "crm ms", "floor ms", "ratio", "budget", "verdict"
    }
    {
      label = $1; c = $2; f = $3; b = $4
      ratio = "-"; budget = "-"; verdict = "-"
      if (c == "FAIL" || f == "FAIL") verdict = "FAIL"
      else if (c != "" && f != "" && f > 0) ratio = sprintf("%.2fx", c / f)
      if (b ~ /^abs:/) {
        limit = substr(b, 5) + 0; budget = "<" limit " ms"
        if (verdict != "FAIL") verdict = (c / 1e6 < limit) ? "OK" : "OVER"
      } else if (b != "-") {
        budget = "<=" b "x"
        if (verdict != "FAIL") verdict = (c <= b * f) ? "OK" : "OVER"
      } else if (verdict != "FAIL") verdict = "info"
      printf "%-52s %10s %10s %7s %9s  %s\n", label, ms(c), ms(f), ratio, budget, verdict
    }'
  rows=()
}

git_q() { git -C "$ws" -c user.name=crm-bench -c user.email=bench@example.org -c commit.gpgsign=false "$@"; }

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2> /dev/null || true)
echo "crm bench  $(date -u +%Y-%m-%dT%H:%MZ)  $(uname -sr)  $(nproc) cpu ${cpu:+($cpu)}"
echo "crm:       $crm ($("$crm" --version))"
echo "floor:     $floor"
echo "tools:     $(git --version), sqlite3 $(sqlite3 --version | cut -d' ' -f1), $("$python" --version 2>&1)"
echo "workdir:   $base ($(stat -f -c %T "$base") file system)"
echo "clock:     $clock"
echo "runs:      median of $RUNS_FAST (quick) or $RUNS_SLOW (whole-workspace) runs after one warm-up, warm page cache"
echo "note:      the file-writing floors do not fsync; crm is timed as it is, fsyncs included"
# Other work on the machine skews every figure; say so rather than hide it.
load=$(cut -d' ' -f1-3 /proc/loadavg 2> /dev/null || echo unknown)
echo "load:      $load (1, 5, 15 min averages at start)"

wf_seq=0
# shellcheck disable=SC2317  # write_files and add_loop are run through measure "$@"
# write_files N: the files floor into a fresh directory each run (rename onto an
# existing name would be a different, cheaper operation).
write_files() {
  wf_seq=$((wf_seq + 1))
  "$floor" write-files "$base/write-files-$wf_seq" "$1"
}

# shellcheck disable=SC2317
# due_cmd: crm due, whose exit 1 means "nothing due", not a failure.
due_cmd() {
  local rc=0
  "$crm" -C "$ws" due --upcoming 7d || rc=$?
  ((rc <= 1))
}

# shellcheck disable=SC2317
add_loop() {
  local i
  for ((i = 1; i <= ADDS; i++)); do
    "$crm" -C "$ws" contact add "Name $i" --email "n$i@example.org"
  done
}

for n in $sorted_sizes; do
  ws=$base/ws-$n
  csv=$base/contacts-$n.csv
  [[ ! -e $ws ]] || die "$ws already exists"
  echo
  echo "-- $n contacts: setting up $ws"
  "$crm" init "$ws" > /dev/null
  now_ns; t0=$NOW
  "$python" "$here/gen_contacts.py" "$ws" "$n" --csv "$csv"
  now_ns; echo "   generated $n contact files in $(((NOW - t0) / 1000000)) ms"
  if ((activities > 0)); then
    now_ns; t0=$NOW
    "$python" "$here/gen_activities.py" "$ws" "$activities"
    now_ns; echo "   generated $((n * activities)) activity files in $(((NOW - t0) / 1000000)) ms"
  fi
  now_ns; t0=$NOW
  git -C "$ws" init -q
  for derived in .crm/index.sqlite .crm/index.sqlite-wal .crm/index.sqlite-shm .crm/lock; do
    if ! git -C "$ws" check-ignore -q "$derived"; then
      echo "   warning: crm init's .gitignore does not ignore $derived; adding it to .git/info/exclude"
      echo "$derived" >> "$ws/.git/info/exclude"
    fi
  done
  git_q add -A
  git_q commit -qm x
  now_ns; echo "   git add + commit in $(((NOW - t0) / 1000000)) ms"

  try "$RUNS_FAST" "$crm" --version; version=$T

  try "$RUNS_SLOW" "$crm" -C "$ws" index rebuild; rebuild=$T
  try "$RUNS_SLOW" "$floor" parse-yaml "$ws"; parse=$T
  row "index rebuild / yaml-cpp parse floor" "$rebuild" "$parse" 1.3

  try "$RUNS_FAST" "$floor" stat-walk "$ws"; walk=$T
  try "$RUNS_FAST" "$crm" -C "$ws" index status; istatus=$T
  try "$RUNS_FAST" git -C "$ws" status --porcelain; gstatus=$T
  if [[ -n $(git -C "$ws" status --porcelain) ]]; then
    echo "   warning: git status is not clean, so the git status floor is not like for like"
  fi
  row "index status, nothing changed / stat walk" "$istatus" "$walk" 1.2
  row "index status, nothing changed / git status" "$istatus" "$gstatus" 1.0

  listed=$("$crm" -C "$ws" contact list --format tsv | wc -l)
  ((listed == n + 1)) || echo "   warning: contact list printed $listed lines, expected $((n + 1))"
  try "$RUNS_FAST" "$crm" -C "$ws" contact list --format tsv; list=$T
  try "$RUNS_FAST" sqlite3 "$ws/.crm/index.sqlite" "$LIST_SQL"; query=$T
  row "contact list --format tsv / sqlite3 + stat walk" "$list" "$(sum_ns "$query" "$walk")" 2

  mapfile -t ref < <("$python" -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))[1:]
row = rows[len(rows) // 2]
print(row[0]); print(row[2])' "$csv")
  show_floor=$(sum_ns "$walk" $((SHOW_SLACK_MS * 1000000)))
  try "$RUNS_FAST" "$crm" -C "$ws" contact show "${ref[0]}"; show_id=$T
  row "contact show ID / stat walk + ${SHOW_SLACK_MS} ms" "$show_id" "$show_floor" 1.0
  try "$RUNS_FAST" "$crm" -C "$ws" contact show "${ref[1]}"; show_email=$T
  row "contact show EMAIL / stat walk + ${SHOW_SLACK_MS} ms" "$show_email" "$show_floor" 1.0

  if ((activities > 0)); then
    # Reported against the freshness floor they all pay (no budget in DESIGN.md 7).
    try "$RUNS_FAST" "$crm" -C "$ws" timeline "${ref[0]}"; T_timeline=$T
    row "timeline ID / stat walk" "$T_timeline" "$walk" -
    try "$RUNS_FAST" "$crm" -C "$ws" search gwenllian --limit 20; T_search=$T
    row "search WORD (--limit 20) / stat walk" "$T_search" "$walk" -
    try "$RUNS_FAST" due_cmd; T_due=$T
    row "due --upcoming 7d / stat walk" "$T_due" "$walk" -
    try "$RUNS_FAST" "$crm" -C "$ws" activity list --kind call --format tsv; T_alist=$T
    row "activity list --kind call --format tsv / stat walk" "$T_alist" "$walk" -
    try "$RUNS_FAST" "$crm" -C "$ws" contact list --fields id,name,last_contact,interactions --format tsv
    row "contact list --fields ...,last_contact,interactions / stat walk" "$T" "$walk" -
  fi

  row "crm --version" "$version" "" "abs:$VERSION_BUDGET_MS"
  try "$RUNS_FAST" /bin/true; exec_floor=$T
  row "floor: exec of /bin/true (process start, for scale)" "" "$exec_floor" -

  # Floors kept for the import budget (files floor + sqlite3 import), reported only.
  try "$RUNS_FAST" sqlite3 :memory: ".mode csv" ".import $csv t"; import=$T
  row "floor: sqlite3 .import of the CSV ($n rows)" "" "$import" -
  try "$RUNS_SLOW" write_files "$n"; files=$T
  rm -rf "$base"/write-files-*
  row "floor: write-files $n (temp + rename, no fsync)" "" "$files" -
  row "floor: import of $n (files + sqlite3 .import)" "" "$(sum_ns "$files" "$import")" -

  if [[ $n == "$smallest" ]]; then
    # Last for this size: it adds contacts to the workspace.
    try "$RUNS_FAST" write_files "$ADDS"; files_add=$T
    rm -rf "$base"/write-files-*
    if run_cmd "$crm" -C "$ws" contact add "Name 0" --email "n0@example.org" && time_once add_loop; then
      adds=$MEDIAN_NS
    else
      adds=FAIL; status=1
    fi
    add_floor=FAIL
    if [[ $files_add != FAIL && $version != FAIL ]]; then
      add_floor=$((files_add + ADDS * version))
    fi
    row "contact add x $ADDS (total) / files + execs" "$adds" "$add_floor" -
    if [[ $adds != FAIL ]]; then
      per_add=$(awk -v t="$adds" -v k="$ADDS" 'BEGIN { printf "%.2f", t / k / 1e6 }')
    else
      per_add=FAIL
    fi
  fi

  print_table "$n contacts"
  echo "   load average now: $(cut -d' ' -f1-3 /proc/loadavg 2> /dev/null || echo unknown)"
  echo "   list floor: sqlite3 CLI running LIST_SQL on .crm/index.sqlite, plus the stat walk"
  echo "   show floor: the stat walk of the freshness check, plus ${SHOW_SLACK_MS} ms"
  if [[ $n == "$smallest" ]]; then
    echo "   add floor:  write-files $ADDS (one temp file + rename each, no fsync)" \
         "+ $ADDS x the time of \`crm --version\` (process start); per add: $per_add ms"
    echo "              each add also runs the freshness check over $n files; the floor does not"
  fi
  if [[ -z $keep ]]; then rm -rf "$ws" "$csv"; fi
done

rm -f "$errlog"
if ((status != 0)); then
  echo
  echo "run.sh: some commands failed (FAIL above)" >&2
fi
exit "$status"
