#!/usr/bin/env bash
# Eight writers and four readers at once on one workspace: every write is there
# afterwards, none is lost and none reports a failure; readers never make a writer
# fail; the index agrees with the files.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

new_ws ws
cd ws || exit 2
shared=$(crm contact add "Ana Shared" --email ana@example.ro)
other=$(crm contact add "Bob Shared")
rounds=60
# A writer's wait for the lock is bounded only by a generous limit: eight writers
# queue behind each other.
export CRM_LOCK_TIMEOUT_MS=60000

# writer N: per round a call on the shared contact, a tag on both shared contacts,
# and every fifth round a new contact with a sale.
writer() {
  local n=$1 k new
  for ((k = 1; k <= rounds; k++)); do
    crm log call "$shared" -m "writer $n round $k" >/dev/null 2>>"../err.$n" || echo "log $n $k" >>../failed
    crm contact set "$shared" "tags+=w$n-$k" >/dev/null 2>>"../err.$n" || echo "set $n $k" >>../failed
    crm contact set "$other" "tags+=w$n-$k" >/dev/null 2>>"../err.$n" || echo "set2 $n $k" >>../failed
    if ((k % 5 == 0)); then
      new=$(crm contact add "New $n-$k" 2>>"../err.$n") || echo "add $n $k" >>../failed
      crm sale record "$new" --item "Audit @ 10" >/dev/null 2>>"../err.$n" || echo "sale $n $k" >>../failed
    fi
  done
}

reader() {
  local n=$1 k
  for ((k = 1; k <= rounds; k++)); do
    crm contact list >/dev/null 2>>"../rerr.$n" || echo "list $n $k" >>../failed
    crm report revenue >/dev/null 2>>"../rerr.$n" || echo "report $n $k" >>../failed
    crm search writer >/dev/null 2>>"../rerr.$n" || echo "search $n $k" >>../failed
  done
}

t "8 writers and 4 readers: no command fails, nothing is written to stderr"
rm -f ../failed ../err.* ../rerr.*
# A search that finds nothing exits 1: a reader that comes before every writer
# must find this note.
crm log note "$shared" -m "writer 0: before the writers start" >/dev/null || exit 2
for n in 1 2 3 4 5 6 7 8; do writer "$n" & done
for n in 1 2 3 4; do reader "$n" & done
wait
expect_eq "failed commands" "" "$(cat ../failed 2>/dev/null)"
expect_eq "stderr of the writers and readers" "" "$(cat ../err.* ../rerr.* 2>/dev/null)"

t "every write is there: 480 calls, 480 tags on each shared contact, 96 contacts with their sales"
calls=$(crm activity list --where 'kind = call' --format ids | wc -l)
tags1=$(crm contact show "$shared" --format json | grep -c '"w[0-9]-[0-9]*"')
tags2=$(crm contact show "$other" --format json | grep -c '"w[0-9]-[0-9]*"')
added=$(crm contact list --where 'name ~ New' --format ids | wc -l)
sales=$(crm sale list --format ids | wc -l)
expect_eq "calls" 480 "$calls"
expect_eq "tags of the first" 480 "$tags1"
expect_eq "tags of the second" 480 "$tags2"
expect_eq "new contacts" 96 "$added"
expect_eq "sales" 96 "$sales"
# shellcheck disable=SC2017 # whole rounds: every fifth round writes twice more
writes=$((rounds * 3 + rounds / 5 * 2))
figures "concurrent: 8 writers x $writes writes beside 4 readers x $((rounds * 3)) reads:" \
  "$(wc -l 2>/dev/null <../failed || echo 0) failed, $((8 * writes - calls - tags1 - tags2 - added - sales)) lost"

t "the index agrees with the files, and no temp file is left"
before=$(crm activity list --format ids | sort; crm contact list --fields id,tags --format tsv | sort)
crm index rebuild >/dev/null
after=$(crm activity list --format ids | sort; crm contact list --fields id,tags --format tsv | sort)
expect_eq "listings before and after a rebuild" "$before" "$after"
expect_eq "temp files" "" "$(find . -name '.crm-tmp-*')"
run crm doctor
expect_rc 0
expect_out "no problems found"

finish
