#!/usr/bin/env bash
# crm timeline REF: one contact's activities (by at), feedback (by at) and follow-ups
# (by due) merged newest first, in every format; --limit and --kind; stage changes
# included; other contacts' records never shown; bad REF and bad --kind refused.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

new_ws ws --region RO
cd ws || exit 2

# The id of the one record file matching a glob (stage changes print no id).
id_of() {
  local files=()
  mapfile -t files < <(compgen -G "$1")
  if [[ ${#files[@]} -ne 1 ]]; then
    echo "t-timeline.sh: expected one file for $1, found: ${files[*]}" >&2
    exit 2
  fi
  local f=${files[0]##*/}
  printf '%s' "${f%.yaml}"
}

# Ana's history, each event at its own time so that the order is exact. A contact
# added with a stage, and a stage change later, are both recorded as activities.
ana=$(CRM_NOW=2026-11-01T09:00:00+02:00 crm contact add "Ana Popescu" --stage lead)
ion=$(crm contact add "Ion Ionescu")
meeting=$(crm log meeting "Ana Popescu" -m "Visited the shop" --at 2026-11-10T11:00:00+02:00)
call=$(crm log call "Ana Popescu" -m "Talked about the offer" --at 2026-11-20T09:00:00+02:00 --direction out)
email=$(crm log email "Ana Popescu" -m $'Sent the price list\nwith the spring discounts' --at 2026-11-22T14:00:00+02:00)
samples=$(crm followup add "Ana Popescu" --due 2026-11-21 -m "Send samples")
CRM_NOW=2026-11-21T16:00:00+02:00 crm followup "done" "$samples" 2>/dev/null
callback=$(crm followup add "Ana Popescu" --due 2026-11-28 -m "Call back about the offer")
complaint=$(crm feedback add "Ana Popescu" --kind complaint -m "Late delivery" --rating 2 --at 2026-11-23T08:30:00+02:00)
review=$(crm feedback add "Ana Popescu" --kind review -m "Lovely tea set" --rating 5 --at 2026-11-24T18:00:00+02:00)
CRM_NOW=2026-11-24T12:00:00+02:00 crm contact set "Ana Popescu" stage=customer
stage1=$(id_of "activities/2026/11/2026-11-01-stage-ana-popescu-*.yaml")
stage2=$(id_of "activities/2026/11/2026-11-24-stage-ana-popescu-*.yaml")
note=$(id_of "activities/2026/11/2026-11-21-note-ana-popescu-*.yaml")
# Ion's records fall between Ana's and must never show in her timeline.
crm log call "Ion Ionescu" -m "Ion asked for a catalogue" --at 2026-11-22T10:00:00+02:00 >/dev/null
crm followup add "Ion Ionescu" --due 2026-11-27 -m "Send Ion the catalogue" >/dev/null
crm feedback add "Ion Ionescu" --kind complaint -m "Ion's parcel was late" --at 2026-11-23T09:00:00+02:00 >/dev/null

t "the whole timeline: activities, feedback and follow-ups, newest first, as tsv"
run crm timeline "Ana Popescu"
expect_rc 0
expect_err ""
expect_out <<EOF
when	kind	status	summary	id
2026-11-28	followup	open	Call back about the offer	$callback
2026-11-24T18:00:00+02:00	review	open	Lovely tea set	$review
2026-11-24T12:00:00+02:00	stage		stage: lead -> customer	$stage2
2026-11-23T08:30:00+02:00	complaint	open	Late delivery	$complaint
2026-11-22T14:00:00+02:00	email		Sent the price list	$email
2026-11-21T16:00:00+02:00	note		done: Send samples	$note
2026-11-21	followup	done	Send samples	$samples
2026-11-20T09:00:00+02:00	call		Talked about the offer	$call
2026-11-10T11:00:00+02:00	meeting		Visited the shop	$meeting
2026-11-01T09:00:00+02:00	stage		stage: lead	$stage1
EOF

t "other contacts' records never appear, and Ion's timeline holds only his"
expect_out_lacks "Ion"
run crm timeline "$ion"
expect_rc 0
expect_out_match $'when\tkind\tstatus\tsummary\tid\n2026-11-27\tfollowup\topen\tSend Ion the catalogue\t[^\t]+\n2026-11-23T09:00:00\\+02:00\tcomplaint\topen\tIon.s parcel was late\t[^\t]+\n2026-11-22T10:00:00\\+02:00\tcall\t\tIon asked for a catalogue\t[^\t]+'

t "any REF form finds the contact: id, id prefix, folded name"
run crm timeline "$ana" --limit 1
expect_rc 0
expect_out "$(printf 'when\tkind\tstatus\tsummary\tid\n2026-11-28\tfollowup\topen\tCall back about the offer\t%s' "$callback")"
run crm timeline "${ana%-*}" --limit 1
expect_rc 0
expect_out "$(printf 'when\tkind\tstatus\tsummary\tid\n2026-11-28\tfollowup\topen\tCall back about the offer\t%s' "$callback")"
run crm timeline "ANA POPESCU" --limit 1
expect_rc 0
expect_out "$(printf 'when\tkind\tstatus\tsummary\tid\n2026-11-28\tfollowup\topen\tCall back about the offer\t%s' "$callback")"

t "json: one object per entry with its record type; no status key when the record has none"
run crm timeline "Ana Popescu" --limit 3 --format json
expect_rc 0
expect_err ""
expect_out <<EOF
[
  {
    "when": "2026-11-28",
    "type": "followup",
    "kind": "followup",
    "status": "open",
    "summary": "Call back about the offer",
    "id": "$callback"
  },
  {
    "when": "2026-11-24T18:00:00+02:00",
    "type": "feedback",
    "kind": "review",
    "status": "open",
    "summary": "Lovely tea set",
    "id": "$review"
  },
  {
    "when": "2026-11-24T12:00:00+02:00",
    "type": "activity",
    "kind": "stage",
    "summary": "stage: lead -> customer",
    "id": "$stage2"
  }
]
EOF

t "on a terminal: an aligned table"
run_tty 160 crm --no-color timeline "Ana Popescu" --limit 4
expect_rc 0
expect_out <<EOF
when                       kind       status  summary                    id
2026-11-28                 followup   open    Call back about the offer  $callback
2026-11-24T18:00:00+02:00  review     open    Lovely tea set             $review
2026-11-24T12:00:00+02:00  stage              stage: lead -> customer    $stage2
2026-11-23T08:30:00+02:00  complaint  open    Late delivery              $complaint
EOF

t "--limit N keeps the N newest"
run crm timeline "Ana Popescu" --limit 2
expect_rc 0
expect_out <<EOF
when	kind	status	summary	id
2026-11-28	followup	open	Call back about the offer	$callback
2026-11-24T18:00:00+02:00	review	open	Lovely tea set	$review
EOF

t "--kind call: only calls"
run crm timeline "Ana Popescu" --kind call
expect_rc 0
expect_err ""
expect_out <<EOF
when	kind	status	summary	id
2026-11-20T09:00:00+02:00	call		Talked about the offer	$call
EOF

t "--kind followup: only follow-ups, open and done"
run crm timeline "Ana Popescu" --kind followup
expect_rc 0
expect_out <<EOF
when	kind	status	summary	id
2026-11-28	followup	open	Call back about the offer	$callback
2026-11-21	followup	done	Send samples	$samples
EOF

t "--kind activity: every activity, stage changes included, nothing else"
run crm timeline "Ana Popescu" --kind activity
expect_rc 0
expect_out <<EOF
when	kind	status	summary	id
2026-11-24T12:00:00+02:00	stage		stage: lead -> customer	$stage2
2026-11-22T14:00:00+02:00	email		Sent the price list	$email
2026-11-21T16:00:00+02:00	note		done: Send samples	$note
2026-11-20T09:00:00+02:00	call		Talked about the offer	$call
2026-11-10T11:00:00+02:00	meeting		Visited the shop	$meeting
2026-11-01T09:00:00+02:00	stage		stage: lead	$stage1
EOF

t "--kind activities (the plural) is the same as --kind activity"
run crm timeline "Ana Popescu" --kind activities --limit 1
expect_rc 0
expect_out "$(printf 'when\tkind\tstatus\tsummary\tid\n2026-11-24T12:00:00+02:00\tstage\t\tstage: lead -> customer\t%s' "$stage2")"

t "--kind stage: the history of the relationship"
run crm timeline "Ana Popescu" --kind stage
expect_rc 0
expect_out <<EOF
when	kind	status	summary	id
2026-11-24T12:00:00+02:00	stage		stage: lead -> customer	$stage2
2026-11-01T09:00:00+02:00	stage		stage: lead	$stage1
EOF

t "--kind complaint: only complaints (not the review)"
run crm timeline "Ana Popescu" --kind complaint
expect_rc 0
expect_out <<EOF
when	kind	status	summary	id
2026-11-23T08:30:00+02:00	complaint	open	Late delivery	$complaint
EOF

t "--kind feedback: every feedback record"
run crm timeline "Ana Popescu" --kind feedback
expect_rc 0
expect_out <<EOF
when	kind	status	summary	id
2026-11-24T18:00:00+02:00	review	open	Lovely tea set	$review
2026-11-23T08:30:00+02:00	complaint	open	Late delivery	$complaint
EOF

t "--kind with --limit"
run crm timeline "Ana Popescu" --kind activity --limit 2 --format json
expect_rc 0
expect_out <<EOF
[
  {
    "when": "2026-11-24T12:00:00+02:00",
    "type": "activity",
    "kind": "stage",
    "summary": "stage: lead -> customer",
    "id": "$stage2"
  },
  {
    "when": "2026-11-22T14:00:00+02:00",
    "type": "activity",
    "kind": "email",
    "summary": "Sent the price list",
    "id": "$email"
  }
]
EOF

t "a known kind with nothing for this contact is exit 1 with just the header"
run crm timeline "Ana Popescu" --kind return
expect_rc 1
expect_err ""
expect_out "$(printf 'when\tkind\tstatus\tsummary\tid')"

t "--kind bogus is a usage error with the kinds in the hint, nothing written"
snapshot .
run crm timeline "Ana Popescu" --kind bogus
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: bad --kind 'bogus'
hint: use a record type (activity, feedback, followup, sale, payment, deal, loyalty) or a kind (call, email, meeting, text, note, chat, stage, complaint, return, support, review, survey, suggestion)
EOF
expect_unchanged .

t "--kind bogus is refused before the REF is looked up"
run crm timeline nobody --kind bogus
expect_rc 2
expect_err_contains "crm: bad --kind 'bogus'"

t "an unknown REF is exit 1 with the REF hint"
snapshot .
run crm timeline nobody
expect_rc 1
expect_out ""
expect_err <<'EOF'
crm: no contact matches 'nobody'
hint: a REF is an id, an id prefix, an email, a phone or an exact name; 'crm contact list' shows them all
EOF
expect_unchanged .

t "an ambiguous REF is exit 4 with the candidates"
pop=$(crm contact add "Ana Pop")
run crm timeline ana-pop
expect_rc 4
expect_out ""
expect_err_contains "crm: 'ana-pop' matches 2 contacts"
expect_err_contains "$pop"
expect_err_contains "$ana"

t "a contact with nothing: exit 1, the header alone in tsv, [] in json"
run crm timeline "Ana Pop"
expect_rc 1
expect_err ""
expect_out "$(printf 'when\tkind\tstatus\tsummary\tid')"
run crm timeline "Ana Pop" --format json
expect_rc 1
expect_out "[]"
run crm timeline "Ana Pop" --format ids
expect_rc 1
expect_out ""

t "a stage change made with contact set shows up at once"
CRM_NOW=2026-11-26T08:00:00+02:00 crm contact set "Ana Pop" stage=prospect
run crm timeline "Ana Pop"
expect_rc 0
expect_out_match $'when\tkind\tstatus\tsummary\tid\n2026-11-26T08:00:00\\+02:00\tstage\t\tstage: prospect\t2026-11-26-stage-ana-pop-[a-km-np-z2-9]{4}'

t "a record written by hand is in the timeline on the next run"
cat >activities/2026/11/2026-11-26-text-ana-pop-hand.yaml <<EOF
id: 2026-11-26-text-ana-pop-hand
kind: text
contact: $pop
at: 2026-11-26T09:15:00+02:00
summary: Sent the directions by SMS
EOF
run crm timeline "Ana Pop" --kind text
expect_rc 0
expect_err ""
expect_out "$(printf 'when\tkind\tstatus\tsummary\tid\n2026-11-26T09:15:00+02:00\ttext\t\tSent the directions by SMS\t2026-11-26-text-ana-pop-hand')"

t "ids print one per line for xargs"
run crm timeline "Ana Popescu" --kind feedback --format ids
expect_rc 0
expect_out <<EOF
$review
$complaint
EOF

t "newest first compares instants, not text: 14:00 UTC is after 15:00 at +02:00"
olena=$(crm contact add "Олена Шевченко")
kyiv=$(crm log call "$olena" -m "Call from the Kyiv office" --at 2026-11-22T15:00:00+02:00)
london=$(crm log call "$olena" -m "Call from the London office" --at 2026-11-22T14:00:00+00:00)
run crm timeline "$olena"
expect_rc 0
expect_out <<EOF
when	kind	status	summary	id
2026-11-22T14:00:00+00:00	call		Call from the London office	$london
2026-11-22T15:00:00+02:00	call		Call from the Kyiv office	$kyiv
EOF

t "a company REF: its contacts' activities, feedback and follow-ups, each row naming its contact"
crm company add "Ceai SRL" >/dev/null
crm contact set "Ana Popescu" company="Ceai SRL"
crm contact set "$olena" company="Ceai SRL"
run crm timeline "Ceai SRL" --limit 4
expect_rc 0
expect_err ""
expect_out <<EOF
when	contact_name	kind	status	summary	id
2026-11-28	Ana Popescu	followup	open	Call back about the offer	$callback
2026-11-24T18:00:00+02:00	Ana Popescu	review	open	Lovely tea set	$review
2026-11-24T12:00:00+02:00	Ana Popescu	stage		stage: lead -> customer	$stage2
2026-11-23T08:30:00+02:00	Ana Popescu	complaint	open	Late delivery	$complaint
EOF
run crm timeline ceai --kind call
expect_rc 0
expect_out <<EOF
when	contact_name	kind	status	summary	id
2026-11-22T14:00:00+00:00	Олена Шевченко	call		Call from the London office	$london
2026-11-22T15:00:00+02:00	Олена Шевченко	call		Call from the Kyiv office	$kyiv
2026-11-20T09:00:00+02:00	Ana Popescu	call		Talked about the offer	$call
EOF
run crm timeline "Ceai SRL" --kind call --limit 1 --format jsonl
expect_rc 0
expect_out "{\"when\":\"2026-11-22T14:00:00+00:00\",\"type\":\"activity\",\"kind\":\"call\",\"summary\":\"Call from the London office\",\"id\":\"$london\",\"contact\":\"$olena\",\"contact_name\":\"Олена Шевченко\"}"

t "a name that is a contact's is the contact's timeline, not a company's"
run crm timeline "Ana Popescu" --kind call --format ids
expect_rc 0
expect_out "$call"

finish
