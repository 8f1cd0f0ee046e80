#!/usr/bin/env bash
# crm feedback add / resolve / list: the exact files written, every kind, ratings and
# NPS checked with nothing written on bad input, resolution time, the satisfaction
# follow-up after a complaint or return (and its config), the computed complaints
# and rating on the contact, and churn recorded with stage=lost.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

new_ws ws --region RO
cd ws || exit 2

suffix='[a-km-np-z2-9]{4}'
ana=$(crm contact add "Ana Popescu" --email ana@example.ro)
mara=$(crm contact add "Mara Dobre")

# yamls DIR: the record files under DIR, sorted, one a line.
yamls() { find "$1" -name '*.yaml' | LC_ALL=C sort; }

t "add prints the new id: date, kind, contact slug and 4 characters"
run crm feedback add ana@example.ro --kind complaint --product "Vază mare" --rating 2 --channel email \
  -m "The vase arrived broken"
expect_rc 0
expect_err ""
expect_match "id" "2026-11-25-complaint-ana-popescu-$suffix"$'\n' "$out"
fb_c=${out%$'\n'}

t "the file is feedback/YYYY/MM/<id>.yaml with the rating a number and status open"
expect_file_eq "feedback/2026/11/$fb_c.yaml" <<EOF
id: $fb_c
kind: complaint
contact: $ana
at: 2026-11-25T10:00:00+02:00
product: Vază mare
rating: 2
channel: email
summary: The vase arrived broken
status: open
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "--nps 0 and --nps 10 are the bounds; --at a date is noon that day"
run crm feedback add "$ana" --kind survey --nps 0 --at 2026-11-20 -m "would not recommend"
expect_rc 0
fb_n0=${out%$'\n'}
expect_match "id" "2026-11-20-survey-ana-popescu-$suffix" "$fb_n0"
expect_file_eq "feedback/2026/11/$fb_n0.yaml" <<EOF
id: $fb_n0
kind: survey
contact: $ana
at: 2026-11-20T12:00:00+02:00
nps: 0
summary: would not recommend
status: open
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF
run crm feedback add "$ana" --kind survey --nps 10 -m "would recommend"
expect_rc 0
expect_eq "nps line" "nps: 10" "$(grep '^nps:' "feedback/2026/11/${out%$'\n'}.yaml")"
rm "feedback/2026/11/${out%$'\n'}.yaml"

t "--sale and --at a time in another month: the file goes under that month"
run crm feedback add "$ana" --kind return --sale 2026-10-02-sale-ana-popescu-x7kq \
  --at 2026-10-03T09:15+02:00 -m "returned the blue mug"
expect_rc 0
fb_r=${out%$'\n'}
expect_match "id" "2026-10-03-return-ana-popescu-$suffix" "$fb_r"
expect_file_eq "feedback/2026/10/$fb_r.yaml" <<EOF
id: $fb_r
kind: return
contact: $ana
at: 2026-10-03T09:15:00+02:00
sale: 2026-10-02-sale-ana-popescu-x7kq
summary: returned the blue mug
status: open
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "all six kinds are accepted"
for kind in complaint return support review survey suggestion; do
  run crm feedback add "$mara" --kind "$kind" -m "a $kind"
  expect_rc 0
  expect_match "$kind id" "2026-11-25-$kind-mara-dobre-$suffix"$'\n' "$out"
  expect_eq "$kind file" "kind: $kind" "$(grep '^kind:' "feedback/2026/11/${out%$'\n'}.yaml")"
  rm -f "feedback/2026/11/${out%$'\n'}.yaml"
done

t "without -m on a pipe the text is read from stdin; several lines become a block"
run_input "$(printf 'Two things:\nthe lid, and the box')" crm feedback add "$mara" --kind suggestion
expect_rc 0
expect_err ""
fb_s=${out%$'\n'}
expect_file_eq "feedback/2026/11/$fb_s.yaml" <<EOF
id: $fb_s
kind: suggestion
contact: $mara
at: 2026-11-25T10:00:00+02:00
summary: |
  Two things:
  the lid, and the box
status: open
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF
rm "feedback/2026/11/$fb_s.yaml"

t "--rating 9 is invalid data (exit 3) and nothing is written"
snapshot .
run crm feedback add "$ana" --kind complaint --rating 9 -m "bad"
expect_rc 3
expect_out ""
expect_err "crm: bad --rating '9' (expected 1 to 5)"
expect_unchanged .

t "--rating 0 too"
run crm feedback add "$ana" --kind review --rating 0 -m "bad"
expect_rc 3
expect_out ""
expect_err "crm: bad --rating '0' (expected 1 to 5)"
expect_unchanged .

t "--nps 11 and --nps -1"
run crm feedback add "$ana" --kind survey --nps 11 -m "bad"
expect_rc 3
expect_out ""
expect_err "crm: bad --nps '11' (expected 0 to 10)"
run crm feedback add "$ana" --kind survey --nps -1 -m "bad"
expect_rc 3
expect_err "crm: bad --nps '-1' (expected 0 to 10)"
expect_unchanged .

t "an unknown --kind is invalid data with the kinds in a hint"
run crm feedback add "$ana" --kind praise -m "lovely"
expect_rc 3
expect_out ""
expect_err <<'EOF'
crm: bad --kind 'praise'
hint: use complaint, return, support, review, survey or suggestion
EOF
expect_unchanged .

t "--kind is required: a usage error (exit 2)"
run crm feedback add "$ana" -m "no kind"
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: --kind is required
hint: see 'crm feedback add -h'
EOF
expect_unchanged .

t "an unknown REF: exit 1"
run crm feedback add nobody@example.ro --kind complaint -m "who?"
expect_rc 1
expect_out ""
expect_err <<'EOF'
crm: no contact matches 'nobody@example.ro'
hint: a REF is an id, an id prefix, an email, a phone or an exact name; 'crm contact list' shows them all
EOF
expect_unchanged .

t "an empty text is a usage error; a bad --at is invalid data"
run crm feedback add "$ana" --kind review -m "  "
expect_rc 2
expect_err <<'EOF'
crm: empty message; nothing was written
hint: -m TEXT gives the feedback
EOF
run crm feedback add "$ana" --kind review --at "someday" -m "x"
expect_rc 3
expect_err_contains "crm: bad --at 'someday'"
expect_unchanged .

# --- resolve -------------------------------------------------------------------

t "resolve two days and 3 hours later: 3060 minutes, said on stderr with the follow-up"
CRM_NOW=2026-11-27T13:00:00+02:00 run crm feedback resolve "$fb_c" -m "sent a new vase"
expect_rc 0
expect_out ""
expect_match "stderr" "resolved $fb_c after 2d3h"$'\n'"follow-up (2026-11-27-ana-popescu-$suffix)"$'\n' "$err"
fu_c=${BASH_REMATCH[1]}
expect_file_eq "feedback/2026/11/$fb_c.yaml" <<EOF
id: $fb_c
kind: complaint
contact: $ana
at: 2026-11-25T10:00:00+02:00
product: Vază mare
rating: 2
channel: email
summary: The vase arrived broken
status: resolved
resolved_at: 2026-11-27T13:00:00+02:00
resolution_minutes: 3060
resolution: sent a new vase
followup: $fu_c
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-27T13:00:00+02:00
EOF

t "a resolved complaint gets a satisfaction follow-up 7 days later, pointing back at it"
expect_file_eq "followups/$fu_c.yaml" <<EOF
id: $fu_c
contact: $ana
due: "2026-12-04"
summary: check satisfaction after the complaint
status: open
source: $fb_c
created: 2026-11-27T13:00:00+02:00
updated: 2026-11-27T13:00:00+02:00
EOF
expect_eq "follow-ups" "followups/$fu_c.yaml" "$(yamls followups)"

t "resolving twice is a conflict (exit 4) and changes nothing"
snapshot .
CRM_NOW=2026-11-28T09:00:00+02:00 run crm feedback resolve "$fb_c" -m "again"
expect_rc 4
expect_out ""
expect_err <<EOF
crm: feedback '$fb_c' is already resolved
hint: it was resolved on 2026-11-27T13:00:00+02:00
EOF
expect_unchanged .

t "resolve needs a text: an empty -m is a usage error (exit 2)"
run crm feedback resolve "$fb_r" -m ""
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: empty message; nothing was written
hint: -m TEXT gives how it was resolved
EOF
expect_unchanged .

t "resolve an unknown id: exit 1"
run crm feedback resolve 2026-01-01-nothing -m "x"
expect_rc 1
expect_err <<'EOF'
crm: no feedback matches '2026-01-01-nothing'
hint: give its id or an id prefix; 'crm feedback list' shows them all
EOF
expect_unchanged .

t "a resolved return gets 'check satisfaction after the return'"
CRM_NOW=2026-10-03T09:45:00+02:00 run crm feedback resolve "$fb_r" -m "refunded"
expect_rc 0
expect_match "stderr" "resolved $fb_r after 30m"$'\n'"follow-up (2026-10-03-ana-popescu-$suffix)"$'\n' "$err"
fu_r=${BASH_REMATCH[1]}
expect_eq "resolution lines" "status: resolved
resolved_at: 2026-10-03T09:45:00+02:00
resolution_minutes: 30
resolution: refunded
followup: $fu_r" "$(grep -E '^(status|resolved_at|resolution_minutes|resolution|followup):' "feedback/2026/10/$fb_r.yaml")"
expect_eq "follow-up" "due: \"2026-10-10\"
summary: check satisfaction after the return
source: $fb_r" "$(grep -E '^(due|summary|source):' "followups/$fu_r.yaml")"

t "--no-follow-up: resolved without a follow-up (hours and minutes in the message)"
fb_c2=$(crm feedback add "$ana" --kind complaint -m "wrong colour")
CRM_NOW=2026-11-25T13:05:00+02:00 run crm feedback resolve "$fb_c2" -m "swapped it" --no-follow-up
expect_rc 0
expect_err "resolved $fb_c2 after 3h05m"
expect_eq "resolution_minutes" "resolution_minutes: 185" "$(grep '^resolution_minutes:' "feedback/2026/11/$fb_c2.yaml")"
expect_eq "followup key" "" "$(grep '^followup:' "feedback/2026/11/$fb_c2.yaml")"
expect_eq "follow-ups" "$(printf 'followups/%s.yaml\n' "$fu_r" "$fu_c" | LC_ALL=C sort)" "$(yamls followups)"

t "a resolved support request gets no follow-up"
fb_sup=$(crm feedback add "$mara" --kind support -m "how do I clean it")
run crm feedback resolve "$fb_sup" -m "explained"
expect_rc 0
expect_err "resolved $fb_sup after 0m"
expect_eq "status" "status: resolved" "$(grep '^status:' "feedback/2026/11/$fb_sup.yaml")"
expect_eq "followup key" "" "$(grep '^followup:' "feedback/2026/11/$fb_sup.yaml")"
expect_eq "follow-ups" "$(printf 'followups/%s.yaml\n' "$fu_r" "$fu_c" | LC_ALL=C sort)" "$(yamls followups)"

t "feedback.check_after: 3d in the config moves the follow-up"
cp .crm/config.yaml "$TEST_ROOT/config.good"
sed -i 's/^  check_after: 7d$/  check_after: 3d/' .crm/config.yaml
expect_eq "config line" "  check_after: 3d" "$(grep 'check_after:' .crm/config.yaml)"
fb_c3=$(crm feedback add "$mara" --kind complaint -m "chipped plate")
run crm feedback resolve "$fb_c3" -m "replaced"
expect_rc 0
expect_match "stderr" "resolved $fb_c3 after 0m"$'\n'"follow-up (2026-11-25-mara-dobre-$suffix)"$'\n' "$err"
expect_eq "due" 'due: "2026-11-28"' "$(grep '^due:' "followups/${BASH_REMATCH[1]}.yaml")"

t "feedback.check_after: off turns it off"
sed -i 's/^  check_after: 3d$/  check_after: off/' .crm/config.yaml
fb_c4=$(crm feedback add "$mara" --kind complaint -m "late again")
before=$(yamls followups)
run crm feedback resolve "$fb_c4" -m "apologised"
expect_rc 0
expect_err "resolved $fb_c4 after 0m"
expect_eq "follow-ups" "$before" "$(yamls followups)"
expect_eq "followup key" "" "$(grep '^followup:' "feedback/2026/11/$fb_c4.yaml")"

t "a bad feedback.check_after is invalid data naming the file and line"
sed -i 's/^  check_after: off$/  check_after: soon/' .crm/config.yaml
line=$(grep -n '^  check_after: soon$' .crm/config.yaml | cut -d: -f1)
run crm feedback list
expect_rc 3
expect_out ""
expect_err "crm: $PWD/.crm/config.yaml:$line: bad feedback.check_after 'soon'"
cp "$TEST_ROOT/config.good" .crm/config.yaml

cd "$TEST_ROOT" || exit 2

# --- list, computed fields on the contact, churn ----------------------------------
new_ws lst --region RO
cd lst || exit 2
radu=$(crm contact add "Radu Ene" --email radu@ene.ro)
ioana=$(crm contact add "Ioana Marin")
l_c=$(crm feedback add radu@ene.ro --kind complaint --rating 2 --at 2026-11-24T09:00+02:00 -m "late delivery")
l_r=$(crm feedback add radu@ene.ro --kind review --rating 5 --at 2026-11-25T08:00+02:00 -m "great service")
l_ret=$(crm feedback add "$ioana" --kind return --at 2026-11-22T16:30+02:00 -m "wrong size")
l_sup=$(crm feedback add "$ioana" --kind support --at 2026-11-23T11:00+02:00 -m "password reset")
crm feedback resolve "$l_sup" -m "reset it" 2>/dev/null

t "list: newest first, tsv with id, at, kind, status, contact_name, rating, summary"
run crm feedback list
expect_rc 0
expect_err ""
expect_out <<EOF
id	at	kind	status	contact_name	rating	summary
$l_r	2026-11-25T08:00:00+02:00	review	open	Radu Ene	5	great service
$l_c	2026-11-24T09:00:00+02:00	complaint	open	Radu Ene	2	late delivery
$l_sup	2026-11-23T11:00:00+02:00	support	resolved	Ioana Marin		password reset
$l_ret	2026-11-22T16:30:00+02:00	return	open	Ioana Marin		wrong size
EOF

t "list --open leaves the resolved ones out"
run crm feedback list --open
expect_rc 0
expect_out <<EOF
id	at	kind	status	contact_name	rating	summary
$l_r	2026-11-25T08:00:00+02:00	review	open	Radu Ene	5	great service
$l_c	2026-11-24T09:00:00+02:00	complaint	open	Radu Ene	2	late delivery
$l_ret	2026-11-22T16:30:00+02:00	return	open	Ioana Marin		wrong size
EOF

t "list --kind return"
run crm feedback list --kind return
expect_rc 0
expect_out <<EOF
id	at	kind	status	contact_name	rating	summary
$l_ret	2026-11-22T16:30:00+02:00	return	open	Ioana Marin		wrong size
EOF

t "list --open --kind support finds nothing: exit 1"
run crm feedback list --open --kind support
expect_rc 1
expect_out "id	at	kind	status	contact_name	rating	summary"

t "contact show: the number of complaints and the average rating (2 and 5 -> 3.5)"
run crm contact show radu@ene.ro
expect_rc 0
expect_err ""
expect_out <<EOF
Radu Ene
  id          $radu
  emails      radu@ene.ro
  created     2026-11-25T10:00:00+02:00
  updated     2026-11-25T10:00:00+02:00
  complaints  1
  rating      3.5
EOF

t "contact show --format json: complaints and rating under computed"
run crm contact show radu@ene.ro --format json
expect_rc 0
expect_out_contains $'    "complaints": 1,\n    "rating": 3.5\n  }'

t "contact list --fields can sort and show rating"
run crm contact list --fields name,complaints,rating --sort -rating
expect_rc 0
expect_out <<'EOF'
name	complaints	rating
Radu Ene	1	3.5
Ioana Marin	0	
EOF

t "stage=lost with lost_to and lost_reason: stored on the contact and in the stage activity"
CRM_NOW=2026-11-26T11:00:00+02:00 run crm contact set "$radu" stage=lost lost_to="Rival SRL" lost_reason="cheaper"
expect_rc 0
expect_out ""
expect_err ""
expect_file_eq "contacts/$radu.yaml" <<EOF
id: $radu
name: Radu Ene
emails:
  - address: radu@ene.ro
stage: lost
lost_to: Rival SRL
lost_reason: cheaper
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-26T11:00:00+02:00
EOF
act=$(yamls activities)
expect_match "activity file" "activities/2026/11/(2026-11-26-stage-radu-ene-$suffix)\.yaml" "$act"
expect_file_eq "$act" <<EOF
id: ${BASH_REMATCH[1]}
kind: stage
contact: $radu
at: 2026-11-26T11:00:00+02:00
to: lost
lost_to: Rival SRL
lost_reason: cheaper
summary: "stage: lost"
created: 2026-11-26T11:00:00+02:00
updated: 2026-11-26T11:00:00+02:00
EOF

finish
