#!/usr/bin/env bash
# Measure crm against the floors of DESIGN.md section 7 and print one table per size.
#
#   tests/bench/run.sh [--sizes "10000 100000"] [--activities K] [--sales K] [--adds N]
#                      [--queries-only] [--crm PATH] [--floor PATH] [--keep DIR] [--faults]
#
# Builds nothing: takes an existing crm binary (default build/release/cmd/crm, else
# build/dev/cmd/crm) and crm_bench_floor from the same build tree. Ratios are
# reported, never enforced: the exit status is non-zero only when a command failed.
set -euo pipefail

# The floor of `crm contact list`: the sqlite3 CLI running the same query on the same
# index. This must stay the query `contact list` runs (lib/index); change both together.
LIST_SQL="SELECT data FROM contacts ORDER BY sort_key, id"

# With --sales: the day the generated sales lead up to, and crm's clock for the
# report lines (CRM_NOW), so "-90d" and the reports' "today" are fixed.
SALES_NOW=2026-11-25

# The floors of `contact list --where` and `crm report NAME` (with --sales): the SQL
# crm runs for them (lib/index/index.cpp, lib/index/filter_sql.cpp, and for the
# reports lib/index/sales_queries.cpp, contact_queries.cpp, activity_queries.cpp
# and scope.cpp), written out for the sqlite3 CLI, which lacks crm's SQL
# functions. Every generated sale is in the base currency (EUR), so
# crm_base(x, currency, day) is x; crm_minor(amount, 'EUR') is
# CAST(round(100 * amount) AS INTEGER); crm_fold is lower() (the needles here
# are ASCII). Keep them in step with those files.
# report_sql NAME prints the statements of one line; $F, $T: the whole period
# (crm's defaults), $TODAY: CRM_NOW's day, $D90: 90 days before it.
CONTACT_TSV="json_extract(contacts.data, '\$.\"id\"', '\$.\"name\"', '\$.\"emails\"', '\$.\"phones\"', '\$.\"company\"', '\$.\"stage\"', '\$.\"tags\"')"
report_sql() {
  local F=0000-01-01 T=9999-12-31 TODAY=$SALES_NOW D90
  D90=$(date -u -d "$SALES_NOW - 90 days" +%F)
  local minor_total="CAST(round(100 * json_extract(i.value, '\$.total')) AS INTEGER)"
  local minor_subtotal="CAST(round(100 * json_extract(s.data, '\$.subtotal')) AS INTEGER)"
  local product="coalesce((SELECT name FROM products WHERE products.id = json_extract(i.value, '\$.product_id')), json_extract(i.value, '\$.product'))"
  local rhythms="SELECT s.contact, c.name, min(s.day), max(s.day), count(*) FROM sales s JOIN contacts c ON c.id = s.contact WHERE s.status = 'completed' AND s.refund_of IS NULL AND s.day <= '%s' AND 1 GROUP BY s.contact HAVING count(*) >= 2;"
  case $1 in
    where-city)
      echo "SELECT $CONTACT_TSV FROM contacts WHERE 1 AND (stage = 'customer' AND instr(lower(city), 'cluj') > 0) ORDER BY sort_key, id;" ;;
    where-tag)
      echo "SELECT $CONTACT_TSV FROM contacts WHERE 1 AND (contacts.id IN (SELECT record_id FROM tags WHERE type = 'contact' AND tag_key = 'vip') AND country = 'RO') ORDER BY sort_key, id;" ;;
    where-revenue)
      echo "SELECT $CONTACT_TSV FROM contacts WHERE 1 AND ((SELECT sum(total) FROM sales WHERE contact = contacts.id AND status = 'completed') > 100000 AND (SELECT max(day) FROM sales WHERE contact = contacts.id AND status = 'completed' AND refund_of IS NULL) < '$D90') ORDER BY sort_key, id;" ;;
    revenue)
      echo "SELECT substr(s.day, 1, 7) AS k, count(DISTINCT s.id) FILTER (WHERE s.refund_of IS NULL), sum(s.total) FROM sales s WHERE s.status = 'completed' AND s.day >= '$F' AND s.day <= '$T' AND 1 GROUP BY k;" ;;
    revenue-product)
      echo "SELECT $product AS k, count(DISTINCT s.id) FILTER (WHERE s.refund_of IS NULL), sum(CAST(round(1.0 * $minor_total * s.total / coalesce(nullif($minor_subtotal, 0), s.total)) AS INTEGER)) FROM sales s, json_each(s.data, '\$.items') i WHERE s.status = 'completed' AND s.day >= '$F' AND s.day <= '$T' AND 1 GROUP BY k;" ;;
    top)
      echo "SELECT s.contact, c.name, count(*) FILTER (WHERE s.refund_of IS NULL), coalesce(sum(s.total), 0), sum(s.margin) FROM sales s JOIN contacts c ON c.id = s.contact WHERE s.status = 'completed' AND s.day >= '$F' AND s.day <= '$T' AND 1 GROUP BY s.contact;" ;;
    rfm)
      echo "SELECT r.contact, c.name, r.last, r.orders, r.revenue, r.r, r.f, r.m, r.total, r.class FROM (WITH c AS (SELECT contact, max(day) FILTER (WHERE refund_of IS NULL) AS last, count(*) FILTER (WHERE refund_of IS NULL) AS orders, coalesce(sum(total), 0) AS revenue FROM sales WHERE status = 'completed' AND day >= '$F' AND day <= '$T' GROUP BY contact), s AS (SELECT contact, last, orders, revenue, 1 + (5 * (rank() OVER (ORDER BY last) - 1)) / count(*) OVER () AS r, 1 + (5 * (rank() OVER (ORDER BY orders) - 1)) / count(*) OVER () AS f, 1 + (5 * (rank() OVER (ORDER BY revenue) - 1)) / count(*) OVER () AS m FROM c WHERE orders > 0) SELECT contact, last, orders, revenue, r, f, m, r + f + m AS total, CASE WHEN r + f + m >= 12 THEN 'A' WHEN r + f + m >= 8 THEN 'B' ELSE 'C' END AS class FROM s) r JOIN contacts c ON c.id = r.contact WHERE 1 ORDER BY r.total DESC, r.revenue DESC, c.sort_key;" ;;
    churn)
      # shellcheck disable=SC2059
      printf "$rhythms\n" "$T"
      echo "SELECT DISTINCT substr(s.day, 1, 7) AS p, s.contact FROM sales s WHERE s.status = 'completed' AND s.refund_of IS NULL AND s.day >= '$F' AND s.day <= '$T' AND 1 ORDER BY p;"
      echo "SELECT coalesce(json_extract(data, '\$.lost_to'), ''), coalesce(json_extract(data, '\$.lost_reason'), ''), count(*) FROM contacts WHERE stage = 'lost' AND 1 GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2;" ;;
    reorder)
      # shellcheck disable=SC2059
      printf "$rhythms\n" "$TODAY" ;;
    lifecycle)
      echo "SELECT coalesce(stage, '(none)'), count(*) FROM contacts WHERE 1 GROUP BY 1;"
      echo "SELECT coalesce(json_extract(a.data, '\$.from'), '(none)'), coalesce(json_extract(a.data, '\$.to'), '(none)'), count(*) FROM activities a WHERE a.kind = 'stage' AND a.day >= '$F' AND a.day <= '$T' AND 1 GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2;" ;;
    conversion)
      echo "SELECT c.id, substr(json_extract(c.data, '\$.created'), 1, 10), coalesce(c.source, '(none)'), (SELECT min(d) FROM (SELECT min(a.day) AS d FROM activities a WHERE a.contact = c.id AND a.kind = 'stage' AND json_extract(a.data, '\$.to') = 'customer' UNION ALL SELECT min(s.day) FROM sales s WHERE s.contact = c.id AND s.status = 'completed' AND s.refund_of IS NULL)) FROM contacts c WHERE 1;"
      echo "SELECT substr(a.day, 1, 7) AS p, count(*) FROM activities a WHERE a.kind <> 'stage' AND a.day >= '$F' AND a.day <= '$T' AND 1 GROUP BY p;"
      echo "SELECT substr(s.day, 1, 7) AS p, count(*) FROM sales s WHERE s.status = 'completed' AND s.refund_of IS NULL AND s.day >= '$F' AND s.day <= '$T' AND 1 GROUP BY p;" ;;
    leads)
      echo "SELECT id, name, stage, coalesce(source, ''), (0) FROM contacts WHERE stage IN ('lead', 'prospect') AND substr(json_extract(data, '\$.created'), 1, 10) BETWEEN '$F' AND '$T' AND 1;" ;;
    campaigns)
      echo "SELECT c.id, c.name, coalesce(c.channel, ''), coalesce(c.start, ''), coalesce(json_array_length(c.data, '\$.audience'), 0), (SELECT count(DISTINCT a.contact) FROM activities a WHERE a.campaign IN (c.id, c.name) AND a.direction = 'in' AND a.day >= '$F' AND a.day <= '$T' AND 1), (SELECT count(*) FROM sales s WHERE s.campaign IN (c.id, c.name) AND s.status = 'completed' AND s.refund_of IS NULL AND s.day >= '$F' AND s.day <= '$T' AND 1), (SELECT coalesce(sum(s.total), 0) FROM sales s WHERE s.campaign IN (c.id, c.name) AND s.status = 'completed' AND s.day >= '$F' AND s.day <= '$T' AND 1), CAST(round(100 * json_extract(c.data, '\$.cost')) AS INTEGER) FROM campaigns c ORDER BY c.start DESC, c.sort_key;" ;;
    feedback)
      echo "SELECT $product AS product, count(DISTINCT s.id) FROM sales s, json_each(s.data, '\$.items') i WHERE s.status = 'completed' AND s.refund_of IS NULL AND s.day >= '$F' AND s.day <= '$T' AND 1 GROUP BY product;"
      echo "SELECT coalesce((SELECT name FROM products p WHERE p.id = f.product), f.product), f.kind, f.rating, f.nps, f.status, json_extract(f.data, '\$.resolution_minutes') FROM feedback f WHERE f.day >= '$F' AND f.day <= '$T' AND 1;" ;;
    cross-sell)
      echo "SELECT DISTINCT s.contact, $product FROM sales s, json_each(s.data, '\$.items') i WHERE s.status = 'completed' AND s.refund_of IS NULL AND s.day >= '$F' AND s.day <= '$T' AND 1;" ;;
    *) die "no SQL for $1" ;;
  esac
}

RUNS_FAST=${RUNS_FAST:-5}    # timed runs for quick commands (after one warm-up run)
RUNS_SLOW=${RUNS_SLOW:-3}    # timed runs for whole-workspace commands: rebuild, parse, file writes
ADDS=1000      # contact add loop, at the smallest size only
SHOW_SLACK_MS=10
VERSION_BUDGET_MS=5
COMPLETE_BUDGET_MS=50

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
python=${PYTHON:-python3}

usage() {
  cat <<EOF
usage: tests/bench/run.sh [--sizes "N..."] [--activities K] [--sales K] [--adds N] [--queries-only] [--crm PATH] [--floor PATH] [--keep DIR] [--faults]
  --sizes "N..."  contact counts to measure (default "10000 100000")
  --activities K  also K activity files per contact (DESIGN.md 7: ~10), and time
                  timeline, search, due and activity list (default 0)
  --sales K       also products, campaigns and about K sales per contact (with
                  refunds and feedback), and time contact list --where and every
                  report against the sqlite3 CLI running the same SQL (default 0)
  --adds N        contact adds timed at the smallest size (default 1000; 0: none)
  --queries-only  with --sales: only the stat walk and the filter and report table
                  (skips the rebuild, parse, status, show, import and add lines)
  --import-rows N also import N generated CSV rows into a new workspace and print
                  the peak RSS (the streaming budget: under 150 MB at 1000000)
  --crm PATH      crm binary (default build/release/cmd/crm, else build/dev/cmd/crm)
  --floor PATH    crm_bench_floor (default: tests/bench/ in the crm binary's build tree)
  --keep DIR      build the workspaces in DIR and leave them there; a workspace
                  already there from a run with the same --activities and --sales
                  is measured again as it is, without generating it anew
  --faults        also run the fault and crash suites with this crm (tests/cli:
                  t-faults, t-fulldisk, t-kill) and print their trials and failures
EOF
}

die() { echo "run.sh: $*" >&2; exit 1; }

sizes="10000 100000"
activities=0
sales=0
queries_only=0
import_rows=0
crm=""
floor=""
keep=""
faults=0
while (($# > 0)); do
  case $1 in
    --sizes) sizes=${2:?--sizes needs a value}; shift 2 ;;
    --activities) activities=${2:?--activities needs a value}; shift 2 ;;
    --sales) sales=${2:?--sales needs a value}; shift 2 ;;
    --adds) ADDS=${2:?--adds needs a value}; shift 2 ;;
    --queries-only) queries_only=1; shift ;;
    --import-rows) import_rows=${2:?--import-rows needs a value}; shift 2 ;;
    --crm) crm=${2:?--crm needs a path}; shift 2 ;;
    --floor) floor=${2:?--floor needs a path}; shift 2 ;;
    --keep) keep=${2:?--keep needs a directory}; shift 2 ;;
    --faults) faults=1; shift ;;
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
for k in "$activities" "$sales" "$ADDS"; do
  [[ $k =~ ^[0-9]+$ ]] || die "bad count: $k"
done
((sales > 0 || !queries_only)) || die "--queries-only needs --sales K"
if ((sales > 0)); then
  export CRM_NOW=${SALES_NOW}T10:00:00+00:00
fi

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

# store_index_rows SRC DST: a new database DST with SRC's schema, then every row of
# SRC inserted into it in one transaction ("WHERE 1" keeps SQLite from copying
# whole b-trees, which it does for a bare INSERT ... SELECT * into an empty table).
# shellcheck disable=SC2317 # called through try
store_index_rows() {
  local src=$1 dst=$2 t sql
  rm -f "$dst" "$dst-wal" "$dst-shm"
  # The full-text table's shadow tables come with it, and are filled through it.
  sqlite3 "$src" .schema | grep -Ev "^CREATE TABLE (IF NOT EXISTS )?'?search_(data|idx|content|docsize|config)'?\(|^CREATE TABLE sqlite_" |
    sqlite3 "$dst" || return 1
  sql="PRAGMA journal_mode=WAL; PRAGMA cache_size=-32768; ATTACH '$src' AS old; BEGIN;"
  for t in $(sqlite3 "$src" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                             AND name NOT LIKE 'search_%' AND name NOT IN ('search', 'meta')"); do
    sql+=" INSERT INTO main.$t SELECT * FROM old.$t WHERE 1;"
  done
  sql+=" INSERT INTO main.search_rows SELECT * FROM old.search_rows WHERE 1;"
  sql+=" INSERT INTO main.search(rowid, title, body) SELECT rowid, title, body FROM old.search WHERE 1; COMMIT;"
  sqlite3 "$dst" "$sql" > /dev/null
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

rrows=()
# rrow LABEL CRM_NS SQLITE_NS WALK_NS: a line of the query table (budget 2x).
rrow() { rrows+=("$1|$2|$3|$4"); }

# The query table: crm against sqlite3 + stat walk (the 2x budget), and the query
# part of crm (crm - walk) against sqlite3 alone.
print_query_table() {
  local title=$1
  echo
  echo "== $title"
  printf '%s\n' "${rrows[@]}" | awk -F'|' '
    function ms(ns) { return ns == "FAIL" ? "FAIL" : sprintf("%.1f", ns / 1e6) }
    BEGIN {
      printf "%-68s %9s %10s %8s %7s %7s %8s  %10s %7s\n", "measurement", "crm ms", "sqlite3 ms", "walk ms",
             "ratio", "budget", "verdict", "query ms", "q/sql"
    }
    {
      label = $1; c = $2; q = $3; w = $4
      if (c == "FAIL" || q == "FAIL" || w == "FAIL") {
        printf "%-68s %9s %10s %8s %7s %7s %8s  %10s %7s\n", label, ms(c), ms(q), ms(w), "-", "<=2x", "FAIL", "-", "-"
        next
      }
      ratio = c / (q + w)
      part = c - w
      printf "%-68s %9s %10s %8s %6.2fx %7s %8s  %10s %6.2fx\n", label, ms(c), ms(q), ms(w), ratio, "<=2x",
             (ratio <= 2 ? "OK" : "OVER"), ms(part), (q > 0 ? part / q : 0)
    }'
  rrows=()
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

# setup N: a fresh workspace of N contacts (plus activities and sales) in $ws,
# committed to git; with --keep, ws-N.setup beside it says how it was made.
setup() {
  local n=$1
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
  if ((sales > 0)); then
    now_ns; t0=$NOW
    "$python" "$here/gen_sales.py" "$ws" "$sales" --now "$SALES_NOW"
    now_ns; echo "   generated products, campaigns, sales and feedback in $(((NOW - t0) / 1000000)) ms"
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
  echo "$setup_stamp" > "$ws.setup"
}

for n in $sorted_sizes; do
  ws=$base/ws-$n
  csv=$base/contacts-$n.csv
  setup_stamp="contacts=$n activities=$activities sales=$sales"
  if [[ -e $ws ]]; then
    # Only a kept workspace made the same way is measured again.
    [[ -n $keep && -f $ws.setup && $(< "$ws.setup") == "$setup_stamp" && -f $csv ]] ||
      die "$ws already exists (not from a run with $setup_stamp)"
    echo
    echo "-- $n contacts: reusing $ws ($setup_stamp)"
  else
    setup "$n"
  fi
  echo "   $("$floor" stat-walk "$ws") record files"

  if ((queries_only)); then
    # Any crm command below refreshes a stale index first (in its warm-up run).
    try "$RUNS_FAST" "$floor" stat-walk "$ws"; walk=$T
  else
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

    # Shell completion (docs/completion.md) reads the index as it is, with no
    # freshness check: its floor is the process start, crm --version.
    try "$RUNS_FAST" "$crm" __complete -C "$ws" contact show a; complete_ref=$T
    row "__complete contact show a / crm --version" "$complete_ref" "$version" "abs:$COMPLETE_BUDGET_MS"
    try "$RUNS_FAST" "$crm" __complete -C "$ws" contact list --tag ''; complete_tag=$T
    row "__complete contact list --tag '' / crm --version" "$complete_tag" "$version" "abs:$COMPLETE_BUDGET_MS"

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
  fi

  if ((sales > 0)); then
    # Filters and reports, each against the same SQL in the sqlite3 CLI plus the
    # stat walk of crm's freshness check (DESIGN.md 7: at most 2x).
    measure_query() {
      local label=$1 sql_name=$2
      shift 2
      local sql
      sql=$(report_sql "$sql_name")
      try "$RUNS_FAST" "$crm" -C "$ws" "$@" --format tsv; local c=$T
      try "$RUNS_FAST" sqlite3 "$ws/.crm/index.sqlite" "$sql"; local q=$T
      rrow "$label" "$c" "$q" "$walk"
    }
    for w in "where-city|stage = customer and city ~ cluj" "where-tag|tags = vip and country = RO" \
             "where-revenue|revenue > 1000 and last_purchase < -90d"; do
      name=${w%%|*} expr=${w#*|}
      # Same rows from both, or the floor is not the same query.
      got=$("$crm" -C "$ws" contact list --where "$expr" --format tsv | wc -l)
      want=$(sqlite3 "$ws/.crm/index.sqlite" "$(report_sql "$name")" | wc -l)
      if ((got != want + 1)); then
        echo "   warning: --where '$expr': crm printed $((got - 1)) rows, the floor SQL $want"
      fi
      measure_query "list --where '$expr' ($want rows)" "$name" contact list --where "$expr"
    done
    for r in revenue "revenue-product|revenue --by product" top rfm churn reorder lifecycle conversion leads \
             campaigns feedback cross-sell; do
      name=${r%%|*} args=${r#*|}
      # shellcheck disable=SC2086  # the arguments are fixed words
      measure_query "report $args" "$name" report $args
    done
  fi

  if ((!queries_only)); then
    row "crm --version" "$version" "" "abs:$VERSION_BUDGET_MS"
    try "$RUNS_FAST" /bin/true; exec_floor=$T
    row "floor: exec of /bin/true (process start, for scale)" "" "$exec_floor" -

    # Floors kept for the import budget (files floor + sqlite3 import), reported only.
    try "$RUNS_FAST" sqlite3 :memory: ".mode csv" ".import $csv t"; import=$T
    row "floor: sqlite3 .import of the CSV ($n rows)" "" "$import" -
    # The file floor and crm import each write into new directories, and nothing is
    # removed until both are measured: a removal is not part of either, and ext4
    # makes file creation slow for a while after many files were deleted (it steps
    # over their recently freed inodes), which would tax whichever ran second.
    try "$RUNS_SLOW" write_files "$n"; files=$T
    row "floor: write-files $n (temp + rename, no fsync)" "" "$files" -
    row "floor: import of $n (files + sqlite3 .import)" "" "$(sum_ns "$files" "$import")" -
    # crm import of the same CSV, each run into a new workspace (made before the clock starts).
    import_seq=0
    for ((i = 0; i <= RUNS_SLOW; i++)); do "$crm" init "$base/import-ws-$i" --region RO > /dev/null; done
    # shellcheck disable=SC2317 # called through try
    import_fresh() { "$crm" -C "$base/import-ws-$import_seq" import csv "$csv" && import_seq=$((import_seq + 1)); }
    try "$RUNS_SLOW" import_fresh; crm_import=$T
    row "import csv of $n contacts / files + sqlite3 .import" "$crm_import" "$(sum_ns "$files" "$import")" 1.5
    import_ws=$base/import-ws-rss
    "$crm" init "$import_ws" --region RO > /dev/null
    import_rss=$( { /usr/bin/time -f %M "$crm" -C "$import_ws" import csv "$csv" > /dev/null; } 2>&1 | tail -1)
    import_again=$( { /usr/bin/time -f %e "$crm" -C "$import_ws" import csv "$csv" > /dev/null; } 2>&1 | tail -1)
    # What SQLite itself spends on the rows crm's index keeps for this import (the
    # records with their lookup indexes, emails, phones, tags, full-text search),
    # copied into an empty index of the same schema: no parsing, no files. Reported
    # only, beside the budget's floor, which stores the CSV in one plain table.
    try "$RUNS_SLOW" store_index_rows "$import_ws/.crm/index.sqlite" "$base/index-rows.sqlite"; index_rows=$T
    row "floor: sqlite3 storing the index rows (crm schema)" "" "$index_rows" -
    row "import csv of $n / files + index rows" "$crm_import" "$(sum_ns "$files" "$index_rows")" -
    rm -rf "$base"/write-files-* "$base"/import-ws-* "$base"/index-rows.sqlite*

    if [[ $n == "$smallest" ]] && ((ADDS > 0)); then
      # Last for this size: it adds contacts to the workspace (removed again after).
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
      # Back to the committed tree, so a kept workspace can be measured again.
      git_q clean -fq -- contacts
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
    if [[ $n == "$smallest" ]] && ((ADDS > 0)); then
      echo "   add floor:  write-files $ADDS (one temp file + rename each, no fsync)" \
           "+ $ADDS x the time of \`crm --version\` (process start); per add: $per_add ms"
      echo "              each add also runs the freshness check over $n files; the floor does not"
  fi
  fi
  if ((sales > 0)); then
    print_query_table "$n contacts, $(sqlite3 "$ws/.crm/index.sqlite" "SELECT count(*) FROM sales") sales: filters and reports (CRM_NOW=$CRM_NOW)"
    echo "   floor: the sqlite3 CLI running the same SQL on .crm/index.sqlite (report_sql in run.sh), plus the stat walk"
    echo "   ratio: crm / (sqlite3 + walk), budget 2x; query ms: crm - walk, what crm spends besides the"
    echo "   freshness walk, next to sqlite3 alone (q/sql); the number after a filter is its row count"
  fi
  if ((!queries_only)); then
    echo "   import: peak RSS ${import_rss:-?} KB for $n rows; the same import again (a no-op) took ${import_again:-?} s"
  fi
  if [[ -z $keep ]]; then rm -rf "$ws" "$csv"; fi
done

if ((import_rows > 0)); then
  # Memory as the input grows: a generated CSV of N rows imported into a new
  # workspace, peak RSS from /usr/bin/time (DESIGN.md 7: under 150 MB at 1M rows).
  big=$base/import-$import_rows.csv
  "$python" - "$big" "$import_rows" <<'PY'
import sys
n = int(sys.argv[2])
names = ["Ana Popescu", "Олена Шевченко", "Gwenllian Jones", "مریم احمدی", "王芳", "Dafydd Evans"]
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write("name,email,phone,city,tags\n")
    for i in range(n):
        # One phone per row (7xx xxx xxx from i): every row is a new person.
        f.write(f"{names[i % 6]} {i},p{i}@example.org,+40 7{i // 1000000 % 100:02d} {i // 1000 % 1000:03d} {i % 1000:03d},Cluj,t{i % 7}\n")
PY
  big_ws=$base/import-big-ws
  rm -rf "$big_ws" && "$crm" init "$big_ws" --region RO > /dev/null
  now_ns; start=$NOW
  big_rss=$( { /usr/bin/time -f %M "$crm" -C "$big_ws" import csv "$big" > /dev/null; } 2>&1 | tail -1)
  now_ns
  echo "== import of $import_rows generated rows: peak RSS $big_rss KB, $(( (NOW - start) / 1000000 )) ms"
  rm -rf "$big_ws" "$big"
fi

if ((faults)); then
  echo "== injected faults, a full disk and kill -9 (trials and failures)"
  for suite in t-faults t-fulldisk t-kill; do
    if ! CRM=$crm CRM_TEST_FSYNC=0 bash "$root/tests/cli/$suite.sh" >"$base/$suite.log" 2>&1; then
      echo "FAIL $suite (its output: $base/$suite.log)"
      status=1
    fi
    sed -n 's/^figures: //p' "$base/$suite.log"
  done
fi

rm -f "$errlog"
if ((status != 0)); then
  echo
  echo "run.sh: some commands failed (FAIL above)" >&2
fi
exit "$status"
