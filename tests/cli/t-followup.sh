#!/usr/bin/env bash
# crm followup: add (the id and the exact file, due as a date or a timestamp), list and
# its windows (--due, --overdue, --upcoming N, --done), done (the file, the activity it
# logs), snooze (due moves, snoozed counts), id prefixes; bad input refused with
# nothing written.
# shellcheck disable=SC1010 # "done" is a crm subcommand here, not the shell keyword
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

suffix='[a-km-np-z2-9]{4}' # the id alphabet has no look-alikes (l, o, 0, 1)
later=2026-11-26T08:30:00+02:00

when_hints='hint: use a date (2026-11-22), a date and time (2026-11-22T15:30), today, tomorrow,
hint: +3d, -2w, +1m, +4h, monday or next monday'

new_ws ws --region RO
cd ws || exit 2
ana=$(crm contact add "Ana Popescu" --email ana@acme.ro)
bob=$(crm contact add "Bob Marsh")

# ---------------------------------------------------------------- add

t "add prints only the new id: today's date, the contact's slug and 4 characters"
run crm followup add ana@acme.ro --due 2026-12-01 -m "Send the quote"
expect_rc 0
expect_err ""
expect_out_match "2026-11-25-ana-popescu-$suffix"
f1=${out%$'\n'}

t "the follow-up file: contact, due as a quoted date, summary, open, the stamps"
expect_file_eq "followups/$f1.yaml" <<EOF
id: $f1
contact: $ana
due: "2026-12-01"
summary: Send the quote
status: open
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

# due_case WHEN STORED: adds a follow-up due WHEN and checks the stored due line.
due_case() {
  run crm followup add "$bob" --due "$1" -m "due $1"
  expect_rc 0
  expect_err ""
  expect_out_match "2026-11-25-bob-marsh-$suffix"
  expect_eq "due of --due '$1'" "due: $2" "$(grep '^due:' "followups/${out%$'\n'}.yaml")"
}

t "--due with a day: stored as a date, counted from Wednesday 2026-11-25"
due_case tomorrow '"2026-11-26"'
due_case +3d '"2026-11-28"'
due_case "next monday" '"2026-11-30"'
due_case friday '"2026-11-27"'
due_case +1m '"2026-12-25"'

t "--due with a time: stored as a timestamp"
due_case 2026-12-01T09:30+02:00 2026-12-01T09:30:00+02:00
due_case "2026-12-01 09:30+01:00" 2026-12-01T09:30:00+01:00
due_case +4h 2026-11-25T14:00:00+02:00

t "the whole file of a follow-up with a time"
run crm followup add ana --due 2026-12-02T15:00+02:00 -m "Call before the board meeting"
expect_rc 0
id=${out%$'\n'}
expect_file_eq "followups/$id.yaml" <<EOF
id: $id
contact: $ana
due: 2026-12-02T15:00:00+02:00
summary: Call before the board meeting
status: open
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "-m omitted on a pipe: the text is read from stdin"
run_input "Ask for the signed contract" crm followup add ana --due +2d
expect_rc 0
id=${out%$'\n'}
expect_eq "summary" "summary: Ask for the signed contract" "$(grep '^summary:' "followups/$id.yaml")"

t "missing --due: exit 2, nothing written"
snapshot .
run crm followup add ana -m "x"
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: --due is required
hint: see 'crm followup add -h'
EOF
expect_unchanged .

t "bad --due: exit 3 with the WHEN forms as hints, nothing written"
for bad in someday 2026-13-01 "next"; do
  run crm followup add ana --due "$bad" -m "x"
  expect_rc 3
  expect_out ""
  expect_err <<EOF
crm: bad --due '$bad'
$when_hints
EOF
done
expect_unchanged .

t "unknown REF: exit 1, nothing written"
run crm followup add nobody --due +1d -m "x"
expect_rc 1
expect_out ""
expect_err <<'EOF'
crm: no contact matches 'nobody'
hint: a REF is an id, an id prefix, an email, a phone or an exact name; 'crm contact list' shows them all
EOF
expect_unchanged .

t "empty -m: exit 2, nothing written"
for empty in "" "   "; do
  run crm followup add ana --due +1d -m "$empty"
  expect_rc 2
  expect_out ""
  expect_err <<'EOF'
crm: empty message; nothing was written
hint: -m TEXT gives the follow-up
EOF
done
expect_unchanged .

t "no -m and nothing on stdin: exit 2, nothing written"
run crm followup add ana --due +1d
expect_rc 2
expect_out ""
expect_err_contains "nothing was written"
expect_err_contains "hint: -m TEXT gives the follow-up"
expect_unchanged .

t "a follow-up is one line: a multi-line -m is exit 3, nothing written"
run crm followup add ana --due +1d -m $'one\ntwo'
expect_rc 3
expect_out ""
expect_err "crm: a follow-up must be one line"
expect_unchanged .

# ---------------------------------------------------------------- list and its windows

cd .. || exit 2
new_ws lw --region RO
cd lw || exit 2
crm contact add "Ana Popescu" >/dev/null
crm contact add "Bob Marsh" >/dev/null

fh=$(crm followup add bob --due 2026-11-10 -m "old one")
fa=$(crm followup add ana --due 2026-11-20 -m "send the quote")
fb=$(crm followup add bob --due today -m "call back")
fc=$(crm followup add ana --due 2026-11-25T16:00+02:00 -m "meeting prep")
fd=$(crm followup add bob --due +3d -m "check the invoice")
fe=$(crm followup add ana --due +6d -m "renewal talk")
ff=$(crm followup add bob --due +7d -m "end of the week window")
fg=$(crm followup add ana --due +8d -m "next month plans")

header=$(printf 'id\tdue\tstatus\tcontact_name\tsummary')

t "list: the open ones by due date (id, due, status, contact_name, summary)"
run crm followup list
expect_rc 0
expect_err ""
expect_out <<EOF
$header
$fh	2026-11-10	open	Bob Marsh	old one
$fa	2026-11-20	open	Ana Popescu	send the quote
$fb	2026-11-25	open	Bob Marsh	call back
$fc	2026-11-25T16:00:00+02:00	open	Ana Popescu	meeting prep
$fd	2026-11-28	open	Bob Marsh	check the invoice
$fe	2026-12-01	open	Ana Popescu	renewal talk
$ff	2026-12-02	open	Bob Marsh	end of the week window
$fg	2026-12-03	open	Ana Popescu	next month plans
EOF

t "list --due: due today (a date or any time today) or before"
run crm followup list --due
expect_rc 0
expect_out <<EOF
$header
$fh	2026-11-10	open	Bob Marsh	old one
$fa	2026-11-20	open	Ana Popescu	send the quote
$fb	2026-11-25	open	Bob Marsh	call back
$fc	2026-11-25T16:00:00+02:00	open	Ana Popescu	meeting prep
EOF

t "list --overdue: due before today"
run crm followup list --overdue
expect_rc 0
expect_out <<EOF
$header
$fh	2026-11-10	open	Bob Marsh	old one
$fa	2026-11-20	open	Ana Popescu	send the quote
EOF

t "list --upcoming: today to 7 days ahead, both ends included"
run crm followup list --upcoming
expect_rc 0
expect_out <<EOF
$header
$fb	2026-11-25	open	Bob Marsh	call back
$fc	2026-11-25T16:00:00+02:00	open	Ana Popescu	meeting prep
$fd	2026-11-28	open	Bob Marsh	check the invoice
$fe	2026-12-01	open	Ana Popescu	renewal talk
$ff	2026-12-02	open	Bob Marsh	end of the week window
EOF

t "list --upcoming 3d and --upcoming 2w"
run crm followup list --upcoming 3d
expect_rc 0
expect_out <<EOF
$header
$fb	2026-11-25	open	Bob Marsh	call back
$fc	2026-11-25T16:00:00+02:00	open	Ana Popescu	meeting prep
$fd	2026-11-28	open	Bob Marsh	check the invoice
EOF
run crm followup list --upcoming 2w --format ids
expect_rc 0
expect_out "$(printf '%s\n' "$fb" "$fc" "$fd" "$fe" "$ff" "$fg")"

t "list --upcoming with a bad window: exit 2"
run crm followup list --upcoming 3x
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: bad --upcoming '3x'
hint: use days or weeks: 7d, 2w
EOF

t "--due and --overdue together are a usage error"
run crm followup list --due --overdue
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: --due excludes --overdue
hint: see 'crm followup list -h'
EOF

t "list --done with none done: the header, exit 1"
run crm followup list --done
expect_rc 1
expect_out "$header"

# ---------------------------------------------------------------- done

t "done ID -m TEXT: nothing on stdout, 'done ID (logged ACTIVITY)' on stderr"
CRM_NOW=$later run crm followup done "$fa" -m "sent it by email"
expect_rc 0
expect_out ""
expect_err_match "done $fa \\(logged 2026-11-26-note-ana-popescu-$suffix\\)"
act=${err##*logged }
act=${act%)$'\n'}

t "the done follow-up: status done, done_at, done_note, updated moved"
expect_file_eq "followups/$fa.yaml" <<EOF
id: $fa
contact: $(crm contact show ana --format ids)
due: "2026-11-20"
summary: send the quote
status: done
done_at: $later
done_note: sent it by email
created: 2026-11-25T10:00:00+02:00
updated: $later
EOF

t "the activity it logged: a note, 'done: <summary>' then the note, pointing back"
expect_file_eq "activities/2026/11/$act.yaml" <<EOF
id: $act
kind: note
contact: $(crm contact show ana --format ids)
at: $later
summary: |
  done: send the quote
  sent it by email
followup: $fa
created: $later
updated: $later
EOF

t "a done follow-up leaves the open lists and shows in --done"
run crm followup list --overdue
expect_out <<EOF
$header
$fh	2026-11-10	open	Bob Marsh	old one
EOF
run crm followup list --done
expect_rc 0
expect_out <<EOF
$header
$fa	2026-11-20	done	Ana Popescu	send the quote
EOF

t "done --as call logs a call; without -m the summary is one line and no done_note"
run crm followup done "$fb" --as call
expect_rc 0
act=${err##*logged }
act=${act%)$'\n'}
expect_match "activity id" "2026-11-25-call-bob-marsh-$suffix" "$act"
expect_file_eq "activities/2026/11/$act.yaml" <<EOF
id: $act
kind: call
contact: $(crm contact show bob --format ids)
at: 2026-11-25T10:00:00+02:00
summary: "done: call back"
followup: $fb
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF
expect_eq "no done_note" "" "$(grep '^done_note:' "followups/$fb.yaml")"
expect_eq "status" "status: done" "$(grep '^status:' "followups/$fb.yaml")"

t "a done note of several lines is a literal block, like every multi-line field"
id=$(crm followup add ana --due +1d -m "ask about the visit")
run crm followup done "$id" -m $'She liked it.\nWants a second visit in March.'
expect_rc 0
expect_eq "done_note" $'done_note: |\n  She liked it.\n  Wants a second visit in March.' \
  "$(sed -n '/^done_note:/,/^created:/p' "followups/$id.yaml" | sed '$d')"
run crm followup show "$id" --format json
expect_out_contains '"done_note": "She liked it.\nWants a second visit in March.\n"'

t "-q: done says nothing"
run crm -q followup done "$fh"
expect_rc 0
expect_out ""
expect_err ""
expect_eq "status" "status: done" "$(grep '^status:' "followups/$fh.yaml")"

t "done twice: exit 4, nothing written"
snapshot .
run crm followup done "$fa" -m "again"
expect_rc 4
expect_out ""
expect_err <<EOF
crm: follow-up '$fa' is already done
hint: it was done on $later
EOF
expect_unchanged .

t "done --as with a kind that is not an activity: exit 2, nothing written"
run crm followup done "$fd" --as stage
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: --as: stage not in {call,email,meeting,text,note,chat}
hint: see 'crm followup done -h'
EOF
expect_unchanged .

t "done with an unknown id: exit 1, nothing written"
run crm followup done 2026-01-01-nosuch
expect_rc 1
expect_out ""
expect_eq "first line" "crm: no followup matches '2026-01-01-nosuch'" "${err%%$'\n'*}"
expect_unchanged .

t "a follow-up REF may be an id prefix"
run crm followup done "${fd%?}" -m "paid"
expect_rc 0
expect_err_match "done $fd \\(logged 2026-11-25-note-bob-marsh-$suffix\\)"
expect_eq "status" "status: done" "$(grep '^status:' "followups/$fd.yaml")"

t "an ambiguous prefix: exit 4 listing the candidates, nothing written"
snapshot .
run crm followup done 2026-11-25-bob-marsh
expect_rc 4
expect_out ""
expect_err <<EOF
crm: '2026-11-25-bob-marsh' matches 4 followups
hint: the candidates are:
$(printf 'hint:   %s  %s\n' "$fh" "old one" "$fb" "call back" "$fd" "check the invoice" \
  "$ff" "end of the week window" | LC_ALL=C sort)
EOF
expect_unchanged .

# ---------------------------------------------------------------- snooze

t "snooze ID +2d: due moves two days from today, snoozed: 1, on stderr the new due"
CRM_NOW=$later run crm followup snooze "$fe" +2d
expect_rc 0
expect_out ""
expect_err "due 2026-11-28"
expect_file_eq "followups/$fe.yaml" <<EOF
id: $fe
contact: $(crm contact show ana --format ids)
due: "2026-11-28"
summary: renewal talk
status: open
snoozed: 1
created: 2026-11-25T10:00:00+02:00
updated: $later
EOF

t "snooze again, by id prefix and to a time: snoozed: 2"
CRM_NOW=2026-11-27T09:00:00+02:00 run crm followup snooze "${fe%?}" 2026-12-04T09:00+02:00
expect_rc 0
expect_err "due 2026-12-04T09:00:00+02:00"
expect_file_eq "followups/$fe.yaml" <<EOF
id: $fe
contact: $(crm contact show ana --format ids)
due: 2026-12-04T09:00:00+02:00
summary: renewal talk
status: open
snoozed: 2
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-27T09:00:00+02:00
EOF

t "the list follows the new due"
run crm followup list --fields id,due
expect_rc 0
expect_out <<EOF
id	due
$fc	2026-11-25T16:00:00+02:00
$ff	2026-12-02
$fg	2026-12-03
$fe	2026-12-04T09:00:00+02:00
EOF

t "snooze of a done follow-up: exit 4, nothing written"
snapshot .
run crm followup snooze "$fa" +2d
expect_rc 4
expect_out ""
expect_err "crm: follow-up '$fa' is already done"
expect_unchanged .

t "snooze to a bad WHEN: exit 3, nothing written"
run crm followup snooze "$fg" someday
expect_rc 3
expect_out ""
expect_err <<EOF
crm: bad WHEN 'someday'
$when_hints
EOF
expect_unchanged .

t "snooze without WHEN: exit 2; of an unknown id: exit 1"
run crm followup snooze "$fg"
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: WHEN is required
hint: see 'crm followup snooze -h'
EOF
run crm followup snooze 2026-01-01-nosuch +2d
expect_rc 1
expect_eq "first line" "crm: no followup matches '2026-01-01-nosuch'" "${err%%$'\n'*}"
expect_unchanged .

finish
