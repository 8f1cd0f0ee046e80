#!/usr/bin/env bash
# crm log: the activity id and the exact file it writes (activities/YYYY/MM/), every
# WHEN form of --at, --direction/--duration/--outcome/--campaign, the text from stdin,
# --follow-up; bad input refused with nothing written. Stage changes written by
# contact add/set/edit; activity list/show; the computed contact fields (last_contact,
# interactions, inbound/outbound, response_rate); rm refused while activities point at it.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

suffix='[a-km-np-z2-9]{4}' # the id alphabet has no look-alikes (l, o, 0, 1)
later=2026-11-26T08:30:00+02:00

# file_of ID: where an activity lives, by the date in its id.
file_of() { printf 'activities/%s/%s/%s.yaml' "${1:0:4}" "${1:5:2}" "$1"; }

# The WHEN hints every bad date gets.
when_hints='hint: use a date (2026-11-22), a date and time (2026-11-22T15:30), today, tomorrow,
hint: +3d, -2w, +1m, +4h, monday or next monday'

new_ws ws --region RO
cd ws || exit 2
ana=$(crm contact add "Ana Popescu" --email ana@acme.ro)

# ---------------------------------------------------------------- crm log KIND

t "log call prints only the new id: date, kind, the contact's slug and 4 characters"
run crm log call ana -m "Talked about the offer"
expect_rc 0
expect_err ""
expect_out_match "2026-11-25-call-ana-popescu-$suffix"
call=${out%$'\n'}

t "the activity file: kind, contact id, at = now, summary, the stamps"
expect_file_eq "activities/2026/11/$call.yaml" <<EOF
id: $call
kind: call
contact: $ana
at: 2026-11-25T10:00:00+02:00
summary: Talked about the offer
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "email, meeting, text, note and chat each write their kind"
for kind in email meeting text note chat; do
  run crm log "$kind" ana@acme.ro -m "a $kind"
  expect_rc 0
  expect_err ""
  expect_out_match "2026-11-25-$kind-ana-popescu-$suffix"
  id=${out%$'\n'}
  expect_file_eq "activities/2026/11/$id.yaml" <<EOF
id: $id
kind: $kind
contact: $ana
at: 2026-11-25T10:00:00+02:00
summary: a $kind
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF
done

t "two logs of the same kind on the same day get different ids"
run crm log call ana -m "again"
expect_rc 0
expect_match "second id" "2026-11-25-call-ana-popescu-$suffix"$'\n' "$out"
if [[ ${out%$'\n'} != "$call" ]]; then _pass; else _fail "the second id repeats the first: $call"; fi

# ---------------------------------------------------------------- --at WHEN

# at_case WHEN EXPECTED_AT FOLDER: logs a note at WHEN and checks the id's date,
# the folder and the stored at.
at_case() {
  run crm log note ana -m "when: $1" --at "$1"
  expect_rc 0
  expect_err ""
  expect_out_match "${2:0:10}-note-ana-popescu-$suffix"
  local id=${out%$'\n'}
  expect_file "$3/$id.yaml"
  expect_eq "at of --at '$1'" "at: $2" "$(grep '^at:' "$3/$id.yaml")"
}

t "--at a date: that day at 12:00 in now's offset"
at_case 2026-11-20 2026-11-20T12:00:00+02:00 activities/2026/11

t "--at a date and time with its own offset: kept as written"
at_case 2026-11-20T15:30+01:00 2026-11-20T15:30:00+01:00 activities/2026/11

t "--at yesterday, -2d and 'last friday' count from Wednesday 2026-11-25"
at_case yesterday 2026-11-24T12:00:00+02:00 activities/2026/11
at_case -2d 2026-11-23T12:00:00+02:00 activities/2026/11
at_case "last friday" 2026-11-20T12:00:00+02:00 activities/2026/11
at_case "LAST FRIDAY" 2026-11-20T12:00:00+02:00 activities/2026/11

t "--at an October date lands in activities/2026/10/"
at_case 2026-10-03 2026-10-03T12:00:00+02:00 activities/2026/10

t "the folder follows the date as written in the time's own offset"
at_case 2026-10-31T23:30-01:00 2026-10-31T23:30:00-01:00 activities/2026/10

t "the whole file of a back-dated log"
run crm log meeting ana -m "Fair stand" --at 2026-10-03T09:15+03:00
expect_rc 0
id=${out%$'\n'}
expect_file_eq "activities/2026/10/$id.yaml" <<EOF
id: $id
kind: meeting
contact: $ana
at: 2026-10-03T09:15:00+03:00
summary: Fair stand
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

# ---------------------------------------------------------------- the other options

t "--direction, --duration, --outcome and --campaign, in the file's key order"
run crm log call ana -m "Pricing call" --campaign "spring 2027" --outcome "wants a quote" \
  --duration 20m --direction out
expect_rc 0
expect_err ""
id=${out%$'\n'}
expect_file_eq "activities/2026/11/$id.yaml" <<EOF
id: $id
kind: call
contact: $ana
at: 2026-11-25T10:00:00+02:00
direction: out
duration: 20m
outcome: wants a quote
campaign: spring 2027
summary: Pricing call
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "--direction in, and its case does not matter"
run crm log email ana -m "She asked" --direction in
id=${out%$'\n'}
expect_eq "direction" "direction: in" "$(grep '^direction:' "$(file_of "$id")")"
run crm log email ana -m "We answered" --direction OUT
id=${out%$'\n'}
expect_eq "direction" "direction: out" "$(grep '^direction:' "$(file_of "$id")")"

t "--duration is stored in its canonical form: 1h30 -> 1h30m, 90 -> 1h30m, 1h -> 1h"
for pair in 1h30:1h30m 90:1h30m 1h:1h 45min:45m 1.5h:1h30m; do
  run crm log call ana -m "duration ${pair%%:*}" --duration "${pair%%:*}"
  expect_rc 0
  id=${out%$'\n'}
  expect_eq "duration of ${pair%%:*}" "duration: ${pair#*:}" "$(grep '^duration:' "$(file_of "$id")")"
done

# ---------------------------------------------------------------- the text from stdin

t "-m omitted on a pipe: the text is read from stdin"
run_input "Quick note from the pipe" crm log note ana
expect_rc 0
expect_err ""
id=${out%$'\n'}
expect_file_eq "$(file_of "$id")" <<EOF
id: $id
kind: note
contact: $ana
at: 2026-11-25T10:00:00+02:00
summary: Quick note from the pipe
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "a multi-line summary is stored as a literal block; surrounding blank lines dropped"
run_input $'\nAgreed on the price.\n  Delivery in March.\n\n' crm log meeting ana
expect_rc 0
id=${out%$'\n'}
expect_file_eq "$(file_of "$id")" <<EOF
id: $id
kind: meeting
contact: $ana
at: 2026-11-25T10:00:00+02:00
summary: |
  Agreed on the price.
    Delivery in March.
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "-m with a newline is a literal block too"
run crm log call ana -m $'Line one\nline two'
id=${out%$'\n'}
expect_eq "summary" $'summary: |\n  Line one\n  line two' "$(sed -n '/^summary:/,/^created:/p' "$(file_of "$id")" | sed '$d')"

t "empty stdin: exit 2, nothing written"
snapshot .
run crm log note ana
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: empty message; nothing was written
hint: -m TEXT gives what happened in the note
EOF
expect_unchanged .

t "stdin with only blank lines: exit 2, nothing written"
run_input $'  \n\n' crm log call ana
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: empty message; nothing was written
hint: -m TEXT gives what happened in the call
EOF
expect_unchanged .

t "an empty -m is refused like empty stdin (as git commit -m ''): exit 2, nothing written"
for empty in "" "   "; do
  run crm log call ana -m "$empty"
  expect_rc 2
  expect_out ""
  expect_err_contains "nothing was written"
done
expect_unchanged .

# ---------------------------------------------------------------- --follow-up

t "--follow-up +3d: the activity id on stdout, the follow-up id on stderr"
run crm log call ana -m $'Sent the quote\nthey will decide Friday' --follow-up +3d
expect_rc 0
expect_out_match "2026-11-25-call-ana-popescu-$suffix"
expect_err_match "follow-up 2026-11-25-ana-popescu-$suffix"
act=${out%$'\n'}
fu=${err%$'\n'}
fu=${fu#follow-up }

t "the follow-up file: due 3 days on, 'follow up: <first line>', source = the activity"
expect_file_eq "followups/$fu.yaml" <<EOF
id: $fu
contact: $ana
due: "2026-11-28"
summary: "follow up: Sent the quote"
status: open
source: $act
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "the activity points at its follow-up"
expect_file_eq "$(file_of "$act")" <<EOF
id: $act
kind: call
contact: $ana
at: 2026-11-25T10:00:00+02:00
summary: |
  Sent the quote
  they will decide Friday
followup: $fu
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "the follow-up is listed as open"
run crm followup list --fields id,due,summary
expect_rc 0
expect_out <<EOF
id	due	summary
$fu	2026-11-28	follow up: Sent the quote
EOF

t "-M sets the follow-up's text; a follow-up with a time keeps it"
run crm log email ana -m "Asked for references" --follow-up 2026-12-01T09:30+02:00 -M "send the contract"
expect_rc 0
fu2=${err%$'\n'}
fu2=${fu2#follow-up }
expect_file_eq "followups/$fu2.yaml" <<EOF
id: $fu2
contact: $ana
due: 2026-12-01T09:30:00+02:00
summary: send the contract
status: open
source: ${out%$'\n'}
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "-q keeps the follow-up line off stderr, the activity id still printed"
run crm -q log note ana -m "quiet" --follow-up tomorrow
expect_rc 0
expect_err ""
expect_out_match "2026-11-25-note-ana-popescu-$suffix"

t "-M without --follow-up is a usage error; nothing written"
snapshot .
run crm log call ana -m "x" -M "send the contract"
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: --follow-up-message requires --follow-up
hint: see 'crm log call -h'
EOF
expect_unchanged .

t "a two-line -M is refused: exit 3, nothing written"
run crm log call ana -m "x" --follow-up +3d -M $'one\ntwo'
expect_rc 3
expect_out ""
expect_err_contains "must be one line"
expect_unchanged .

t "a bad --follow-up WHEN writes neither the activity nor the follow-up"
run crm log call ana -m "x" --follow-up someday
expect_rc 3
expect_out ""
expect_err <<EOF
crm: bad --follow-up 'someday'
$when_hints
EOF
expect_unchanged .

# ---------------------------------------------------------------- refusals

t "unknown REF: exit 1, nothing written"
run crm log call nobody -m "x"
expect_rc 1
expect_out ""
expect_err <<'EOF'
crm: no contact matches 'nobody'
hint: a REF is an id, an id prefix, an email, a phone or an exact name; 'crm contact list' shows them all
EOF
expect_unchanged .

t "ambiguous REF: exit 4 listing the candidates, nothing written"
pop=$(crm contact add "Ana Pop")
snapshot .
run crm log call ana -m "x"
expect_rc 4
expect_out ""
expect_err <<EOF
crm: 'ana' matches 2 contacts
hint: the candidates are:
$(printf 'hint:   %s  %s\n' "$pop" "Ana Pop" "$ana" "Ana Popescu" | LC_ALL=C sort)
EOF
expect_unchanged .

t "bad --at WHEN: exit 3 with the forms as hints, nothing written"
for bad in someday 2026-02-30 next "+d"; do
  run crm log call "$ana" -m "x" --at "$bad"
  expect_rc 3
  expect_out ""
  expect_err <<EOF
crm: bad --at '$bad'
$when_hints
EOF
done
expect_unchanged .

t "bad --direction: exit 3, nothing written"
run crm log call "$ana" -m "x" --direction sideways
expect_rc 3
expect_out ""
expect_err <<'EOF'
crm: bad --direction 'sideways'
hint: in: they reached out; out: you did
EOF
expect_unchanged .

t "bad --duration: exit 3, nothing written"
for bad in 1h75 -5m abc "1 h"; do
  run crm log call "$ana" -m "x" --duration "$bad"
  expect_rc 3
  expect_out ""
  expect_err <<EOF
crm: bad --duration '$bad'
hint: use minutes or hours: 15m, 1h, 1h30m, 90
EOF
done
expect_unchanged .

t "crm log stage is not a command: stage changes are written by crm"
run crm log stage "$ana" -m "x"
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: 'stage' is not a crm log command
hint: see 'crm log -h'
EOF
expect_unchanged .

t "crm log nosuch and a bare crm log: exit 2"
run crm log nosuch
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: 'nosuch' is not a crm log command
hint: see 'crm log -h'
EOF
run crm log
expect_rc 2
expect_err <<'EOF'
crm: 'crm log' needs a subcommand
hint: see 'crm log -h'
EOF
expect_unchanged .

# ---------------------------------------------------------------- stage changes

cd .. || exit 2
new_ws st --region RO
cd st || exit 2

# stage_files SLUG: the stage activities of one contact, oldest name first.
stage_files() { find activities -name "*-stage-$1-*.yaml" | LC_ALL=C sort; }

t "contact add without --stage writes no activity"
crm contact add "Plain Person" >/dev/null
expect_eq "stage files" "" "$(stage_files plain-person)"

t "contact add --stage lead writes a stage activity with only 'to'"
lea=$(crm contact add "Lea Stage" --stage lead)
f=$(stage_files lea-stage)
sid=$(basename "$f" .yaml)
expect_match "stage id" "2026-11-25-stage-lea-stage-$suffix" "$sid"
expect_file_eq "activities/2026/11/$sid.yaml" <<EOF
id: $sid
kind: stage
contact: $lea
at: 2026-11-25T10:00:00+02:00
to: lead
summary: "stage: lead"
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "contact set stage=customer writes one with from and to, at the new now"
CRM_NOW=$later run crm contact set lea stage=customer
expect_rc 0
expect_out ""
expect_err ""
f=$(stage_files lea-stage | grep -v "$sid")
sid2=$(basename "$f" .yaml)
expect_match "stage id" "2026-11-26-stage-lea-stage-$suffix" "$sid2"
expect_file_eq "activities/2026/11/$sid2.yaml" <<EOF
id: $sid2
kind: stage
contact: $lea
at: $later
from: lead
to: customer
summary: "stage: lead -> customer"
created: $later
updated: $later
EOF

t "setting the same stage again, or another field, writes no activity"
snapshot activities
run crm contact set lea stage=customer
expect_rc 0
run crm contact set lea city=Iasi
expect_rc 0
expect_unchanged activities

t "stage=lost copies lost_to and lost_reason into the activity"
run crm contact set lea stage=lost lost_to="Competitor" lost_reason="price"
expect_rc 0
expect_err ""
f=$(stage_files lea-stage | grep -v -e "$sid" -e "$sid2")
sid3=$(basename "$f" .yaml)
expect_file_eq "activities/2026/11/$sid3.yaml" <<EOF
id: $sid3
kind: stage
contact: $lea
at: 2026-11-25T10:00:00+02:00
from: customer
to: lost
lost_to: Competitor
lost_reason: price
summary: "stage: customer -> lost"
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "a refused stage writes no activity either"
snapshot .
run crm contact set lea stage=vip
expect_rc 3
expect_unchanged .

t "contact edit that changes the stage writes one too"
ed=$(crm contact add "Ed Itor" --stage lead)
first=$(stage_files ed-itor)
EDITOR="sed -i 's/^stage: lead/stage: prospect/'" run crm contact edit "$ed"
expect_rc 0
expect_out ""
expect_eq "stage line" "stage: prospect" "$(grep '^stage:' "contacts/$ed.yaml")"
f=$(stage_files ed-itor | grep -v "$first")
sid=$(basename "$f" .yaml)
expect_file_eq "activities/2026/11/$sid.yaml" <<EOF
id: $sid
kind: stage
contact: $ed
at: 2026-11-25T10:00:00+02:00
from: lead
to: prospect
summary: "stage: lead -> prospect"
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "an edit that leaves the stage alone writes none"
snapshot activities
EDITOR="sed -i 's/^name: Ed Itor/name: Ed Itor Jr/'" run crm contact edit "$ed"
expect_rc 0
expect_unchanged activities

t "stage changes are not interactions: no last_contact, no count"
run crm contact show "$ed"
expect_rc 0
expect_out <<EOF
Ed Itor Jr
  id       $ed
  stage    prospect
  created  2026-11-25T10:00:00+02:00
  updated  2026-11-25T10:00:00+02:00
EOF

# ---------------------------------------------------------------- list, show, computed fields

cd .. || exit 2
new_ws ls --region RO
cd ls || exit 2
carla=$(crm contact add "Carla Díaz" --email carla@example.es)
dan=$(crm contact add "Dan Ionescu")
eve=$(crm contact add "Eve Silent")

c1=$(crm log call carla -m "Intro call" --at 2026-11-18T09:00+02:00 --direction out --duration 15m)
c2=$(crm log email carla -m "She wrote back" --at 2026-11-19T11:00+02:00 --direction in)
c3=$(crm log email carla -m "Sent the brochure" --at 2026-11-20T14:00+02:00 --direction out)
c4=$(crm log meeting carla -m "Visit" --at 2026-11-21T10:00+02:00 --direction in --outcome "signed")
c5=$(crm log text carla -m "Thanks!" --at 2026-11-22T18:00+02:00 --direction out)
c6=$(crm log note carla -m "Prefers mornings" --at 2026-11-23T08:00+02:00)
d1=$(crm log chat dan -m "Asked about prices" --at 2026-11-24T16:45+02:00 --direction in)
e1=$(crm log call eve -m "No answer" --at 2026-10-30T09:00+02:00 --direction out)
e2=$(crm log call eve -m "No answer again" --at 2026-11-02T09:00+02:00 --direction out)

t "activity list: id, at, kind, direction, contact_name, summary; newest first"
run crm activity list
expect_rc 0
expect_err ""
expect_out <<EOF
id	at	kind	direction	contact_name	summary
$d1	2026-11-24T16:45:00+02:00	chat	in	Dan Ionescu	Asked about prices
$c6	2026-11-23T08:00:00+02:00	note		Carla Díaz	Prefers mornings
$c5	2026-11-22T18:00:00+02:00	text	out	Carla Díaz	Thanks!
$c4	2026-11-21T10:00:00+02:00	meeting	in	Carla Díaz	Visit
$c3	2026-11-20T14:00:00+02:00	email	out	Carla Díaz	Sent the brochure
$c2	2026-11-19T11:00:00+02:00	email	in	Carla Díaz	She wrote back
$c1	2026-11-18T09:00:00+02:00	call	out	Carla Díaz	Intro call
$e2	2026-11-02T09:00:00+02:00	call	out	Eve Silent	No answer again
$e1	2026-10-30T09:00:00+02:00	call	out	Eve Silent	No answer
EOF

t "activity list --kind"
run crm activity list --kind email
expect_rc 0
expect_out <<EOF
id	at	kind	direction	contact_name	summary
$c3	2026-11-20T14:00:00+02:00	email	out	Carla Díaz	Sent the brochure
$c2	2026-11-19T11:00:00+02:00	email	in	Carla Díaz	She wrote back
EOF

t "activity list --contact, alone and with --kind"
run crm activity list --contact "$eve"
expect_rc 0
expect_out <<EOF
id	at	kind	direction	contact_name	summary
$e2	2026-11-02T09:00:00+02:00	call	out	Eve Silent	No answer again
$e1	2026-10-30T09:00:00+02:00	call	out	Eve Silent	No answer
EOF
run crm activity list --contact "$carla" --kind call --fields id,summary
expect_rc 0
expect_out <<EOF
id	summary
$c1	Intro call
EOF

t "activity list --contact takes a REF like every other command (DESIGN 3)"
run crm activity list --contact carla@example.es --fields id
expect_rc 0
expect_out <<EOF
id
$c6
$c5
$c4
$c3
$c2
$c1
EOF

t "activity list with nothing to show: the header, exit 1"
run crm activity list --kind meeting --contact "$dan"
expect_rc 1
expect_out "$(printf 'id\tat\tkind\tdirection\tcontact_name\tsummary')"

t "activity list --kind with an unknown kind is a usage error, not an empty list"
run crm activity list --kind calls
expect_rc 2
expect_out ""
expect_err "crm: bad kind 'calls' (expected one of: call, email, meeting, text, note, chat, stage)" # as contact list --stage

t "newest first is chronological even when the offsets differ"
o1=$(crm log call dan -m "at 14:30 UTC" --at 2026-11-24T15:30+01:00)
o2=$(crm log call dan -m "at 14:00 UTC" --at 2026-11-24T16:00+02:00)
run crm activity list --contact "$dan" --kind call --fields id,summary
expect_rc 0
expect_out <<EOF
id	summary
$o1	at 14:30 UTC
$o2	at 14:00 UTC
EOF
crm activity rm "$o1" --force >/dev/null
crm activity rm "$o2" --force >/dev/null

t "activity show ID: the card, the summary as its title"
run crm activity show "$c4"
expect_rc 0
expect_err ""
expect_out <<EOF
Visit
  id            $c4
  kind          meeting
  contact       Carla Díaz ($carla)
  at            2026-11-21T10:00:00+02:00
  direction     in
  outcome       signed
  created       2026-11-25T10:00:00+02:00
  updated       2026-11-25T10:00:00+02:00
  contact_name  Carla Díaz
EOF

t "activity show takes an id prefix; an unknown one is exit 1"
run crm activity show "${c1%-*}"
expect_rc 0
expect_out_contains "  duration      15m"
run crm activity show 2026-01-01-nosuch
expect_rc 1
expect_out ""
expect_eq "first line" "crm: no activity matches '2026-01-01-nosuch'" "${err%%$'\n'*}"

t "activity show names the follow-up it asked for"
fa=$(crm log call dan -m "Quote" --at 2026-11-24T17:00+02:00 --follow-up +3d 2>"$TEST_ROOT/fu-err")
fid=$(sed 's/^follow-up //' "$TEST_ROOT/fu-err")
run crm activity show "$fa"
expect_rc 0
expect_out_contains "  followup      follow up: Quote ($fid)"
crm activity rm "$fa" --force >/dev/null
crm followup rm "$fid" --force >/dev/null

t "contact show: last_contact, interactions by channel, inbound, outbound, response_rate"
run crm contact show carla
expect_rc 0
expect_err ""
expect_out <<EOF
Carla Díaz
  id                    $carla
  emails                carla@example.es
  created               2026-11-25T10:00:00+02:00
  updated               2026-11-25T10:00:00+02:00
  last_contact          2026-11-23
  interactions          6
  interactions_call     1
  interactions_email    2
  interactions_meeting  1
  interactions_text     1
  interactions_note     1
  inbound               2
  outbound              3
  response_rate         67
EOF

t "no inbound at all: a response rate of 0 (json)"
run crm contact show "$eve" --format json
expect_rc 0
expect_out_contains '"response_rate": 0'
expect_out_contains '"outbound": 2'
expect_out_contains '"last_contact": "2026-11-02"'

t "contact list with the computed fields, sorted by interactions"
run crm contact list --fields name,last_contact,interactions --sort -interactions
expect_rc 0
expect_out <<EOF
name	last_contact	interactions
Carla Díaz	2026-11-23	6
Eve Silent	2026-11-02	2
Dan Ionescu	2026-11-24	1
EOF

t "logging a call moves last_contact and the counts"
run crm log call dan -m "Called back" --direction out
expect_rc 0
run crm contact list --fields name,last_contact,interactions_call,outbound,response_rate --sort name
expect_out <<EOF
name	last_contact	interactions_call	outbound	response_rate
Carla Díaz	2026-11-23	1	3	67
Dan Ionescu	2026-11-25	1	1	100
Eve Silent	2026-11-02	2	2	0
EOF

t "contact rm refuses a contact that has activities (exit 4), nothing removed"
snapshot .
run crm contact rm carla --force
expect_rc 4
expect_out ""
expect_eq "first line" "crm: contact '$carla' is still referenced by 6 activities" "${err%%$'\n'*}"
expect_unchanged .

t "the rm refusal's hint is a step that can work (an activity's contact cannot be emptied)"
run crm contact rm "$eve" --force
expect_rc 4
if [[ $err != *"contact="* ]]; then _pass; else _fail "hint suggests emptying a required field" "" "$err"; fi

t "no -m on a terminal: the text comes from \$EDITOR, '#' lines left out"
cat >"$TEST_ROOT/msg-editor" <<'SH'
#!/bin/sh
# Writes a message above the template crm put in the file.
{ printf 'Called about the invoice\nShe pays on Friday\n'; cat "$1"; } >"$1.new" && mv "$1.new" "$1"
SH
chmod +x "$TEST_ROOT/msg-editor"
EDITOR=$TEST_ROOT/msg-editor run_tty 100 crm log call "$eve"
expect_rc 0
id=${out%$'\n'}
expect_match "the activity id" '2026-11-25-call-eve-silent-[a-z0-9]{4}' "$id"
expect_eq "summary" "$(printf 'summary: |\n  Called about the invoice\n  She pays on Friday')" \
  "$(sed -n '/^summary:/,/^created:/p' activities/2026/11/"$id".yaml | sed '$d')"
expect_eq "no draft left in .crm" "" "$(find ../ls/.crm -maxdepth 1 -name '*MESSAGE*')"

t "no -m on a terminal and an empty message: exit 2, nothing written"
cat >"$TEST_ROOT/empty-editor" <<'SH'
#!/bin/sh
exit 0
SH
chmod +x "$TEST_ROOT/empty-editor"
snapshot .
EDITOR=$TEST_ROOT/empty-editor run_tty 100 crm log note "$eve"
expect_rc 2
expect_out_contains "crm: empty message; nothing was written"
expect_unchanged .

finish
