#!/usr/bin/env bash
# crm segment: saved filters over contacts whose members are always current;
# create, list, show (any format, ids for xargs), rm, bad and hand-broken filters,
# and the computed fields segments use most: the lead score from config.yaml and
# the RFM priority.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

# rows: expected TSV written with '|' between the cells.
rows() { tr '|' '\t'; }

# Seven contacts in five scripts with fixed ids (tests/fixtures/small); four are vip.
fixture_ws ws small
cd ws || exit 2

t "segment list with no segments: exit 1, the header only"
run crm segment list
expect_rc 1
expect_err ""
expect_out "$(printf 'id\tname\tmembers\twhere\tdescription')"

t "segment create prints the id, the slug of the name, and writes the file"
run crm segment create VIP --where 'vip' -d "newsletter list"
expect_rc 0
expect_err ""
expect_out "vip"
expect_file_eq segments/vip.yaml <<'EOF'
id: vip
name: VIP
where: vip
description: newsletter list
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF
run crm segment create "Big spenders" --where 'revenue >= 1000'
expect_rc 0
expect_out "big-spenders"

t "segment list counts the members now"
run crm segment list
expect_rc 0
expect_err ""
expect_out "$(rows <<'EOF'
id|name|members|where|description
big-spenders|Big spenders|0|revenue >= 1000|
vip|VIP|4|vip|newsletter list
EOF
)"

t "the counts follow a new contact and a new sale"
bo=$(made crm contact add "Bo Vip" --tag vip --email bo@example.org)
made crm sale record ana-popescu-k7q2 --item "Audit @ 1200" --at 2026-11-20T10:00:00+02:00 >/dev/null
run crm segment list --format table
expect_rc 0
expect_out <<'EOF'
id            name          members  where            description
big-spenders  Big spenders  1        revenue >= 1000
vip           VIP           5        vip              newsletter list
EOF
run crm segment show big-spenders --fields name,revenue
expect_out "$(printf 'name\trevenue\nAna Popescu\t1200.00')"

t "segment show: the members as contacts, in tsv"
run crm segment show vip --fields name,stage,tags
expect_rc 0
expect_err ""
expect_out "$(rows <<'EOF'
name|stage|tags
Ana Popescu|customer|vip, cluj
Bo Vip||vip
Ioana Marin|lead|vip
محمد الأحمد|lead|vip, gulf
王小明|customer|vip
EOF
)"

t "segment show: json, --sort and --limit, by name as well as by id"
run crm segment show VIP --format json --fields id,name --sort -name --limit 2
expect_rc 0
expect_out <<'EOF'
[
  {
    "id": "王小明-x3y4",
    "name": "王小明"
  },
  {
    "id": "محمد-الاحمد-t7u8",
    "name": "محمد الأحمد"
  }
]
EOF

t "segment show --format ids feeds xargs: a newsletter logged for every member"
run crm segment show vip --format ids
expect_rc 0
expect_out <<EOF
ana-popescu-k7q2
$bo
ioana-marin-m3n4
محمد-الاحمد-t7u8
王小明-x3y4
EOF
crm segment show vip --format ids | xargs -n1 "$CRM" log email -m newsletter >"$TEST_ROOT/logged" 2>&1
expect_eq "xargs exit code" 0 "$?"
expect_eq "activities logged" 5 "$(wc -l <"$TEST_ROOT/logged" | tr -d ' ')"
expect_eq "activity files" 5 "$(find activities -name '*-email-*.yaml' | wc -l | tr -d ' ')"
run crm activity list --where 'kind = email and summary = newsletter' --fields contact_name,kind,summary --sort contact_name
expect_rc 0
expect_out "$(rows <<'EOF'
contact_name|kind|summary
Ana Popescu|email|newsletter
Bo Vip|email|newsletter
Ioana Marin|email|newsletter
محمد الأحمد|email|newsletter
王小明|email|newsletter
EOF
)"
run crm contact list --where 'interactions_email = 1' --format ids
expect_out <<EOF
ana-popescu-k7q2
$bo
ioana-marin-m3n4
محمد-الاحمد-t7u8
王小明-x3y4
EOF

t "segment show of a segment with no members: exit 1"
made crm segment create "Lost ones" --where 'stage = lost' >/dev/null
run crm segment show lost-ones --format ids
expect_rc 1
expect_out ""
expect_err ""

t "a duplicate name: exit 4, nothing changed"
snapshot .
run crm segment create VIP --where 'stage = lead'
expect_rc 4
expect_out ""
expect_err <<'EOF'
crm: segment 'VIP' already exists
hint: remove it first (crm segment rm vip) or choose another name
EOF
expect_unchanged .

t "a bad filter: exit 3, nothing written under segments/"
snapshot .
run crm segment create Broken --where 'vip and (city ='
expect_rc 3
expect_out ""
expect_err "crm: bad filter at column 16: expected a value, found the end"
run crm segment create Typo --where 'revenu > 1'
expect_rc 3
expect_err <<'EOF'
crm: bad filter at column 1: unknown field 'revenu' for contacts
hint: the nearest fields are: revenue
EOF
expect_unchanged .
expect_no_file segments/broken.yaml
expect_no_file segments/typo.yaml

t "a hand-edited segment with a broken filter: show exits 3 naming the file"
printf 'id: hand\nname: Hand\nwhere: "vip and ("\n' >segments/hand.yaml
run crm segment show hand
expect_rc 3
expect_out ""
expect_err "crm: segments/hand.yaml: segment 'hand': bad filter at column 10: expected a field, a tag or '(', found the end"
printf 'id: hand\nname: Hand\nwhere: "stage = zzz"\n' >segments/hand.yaml
run crm segment show hand --format ids
expect_rc 3
expect_err "crm: segments/hand.yaml: segment 'hand': bad filter at column 9: expected one of lead, prospect, customer, inactive, lost for stage, found 'zzz'"

t "segment rm -f removes the file; the segment is gone"
run crm segment rm hand -f
expect_rc 0
expect_out ""
expect_no_file segments/hand.yaml
run crm segment rm lost-ones -f
expect_rc 0
run crm segment list --format ids
expect_rc 0
expect_out "$(printf 'big-spenders\nvip')"
run crm segment show lost-ones
expect_rc 1
expect_out ""
expect_err <<'EOF'
crm: no segment matches 'lost-ones'
hint: give its id or an id prefix; 'crm segment list' shows them all
EOF

# ================================================================ lead scoring

fixture_ws "$TEST_ROOT/leads" small
cd "$TEST_ROOT/leads" || exit 2
cat >>.crm/config.yaml <<'EOF'
lead_scoring:
  - {where: "has:email", points: 10}
  - {where: "stage in (lead, prospect)", points: 20}
  - {where: "vip", points: 5}
  - {where: "country = RO", points: 3}
EOF

t "lead scoring: the points of every rule a contact matches"
# Ioana 10+20+5+3, Olena 10+20, Mohammed 20+5, Ana 10+5+3, Wang 10+5.
run crm contact list --fields name,score --sort -score
expect_rc 0
expect_err ""
expect_out "$(rows <<'EOF'
name|score
Ioana Marin|38
Олена Коваленко|30
محمد الأحمد|25
Ana Popescu|18
王小明|15
Siân Evans|0
سارا محمدی|0
EOF
)"

t "lead scoring: the score on the card of show, and in its JSON"
run crm contact show ioana-marin-m3n4
expect_rc 0
expect_out_contains "  score    38"
run crm contact show ioana-marin-m3n4 --format json
expect_out_contains '    "score": 38,'

t "lead scoring: --where on the score, and a segment of hot leads"
run crm contact list --where 'score >= 25' --fields name,score --sort -score
expect_rc 0
expect_out "$(printf 'name\tscore\nIoana Marin\t38\nОлена Коваленко\t30\nمحمد الأحمد\t25')"
made crm segment create "Hot leads" --where 'score >= 20 and not stage = customer' >/dev/null
run crm segment show hot-leads --format ids
expect_out <<'EOF'
ioana-marin-m3n4
олена-коваленко-p5r6
محمد-الاحمد-t7u8
EOF

t "lead scoring: a rule that uses the score itself is refused"
cp .crm/config.yaml "$TEST_ROOT/config.good"
echo '  - {where: "score > 5", points: 1}' >>.crm/config.yaml
run crm contact list --where 'score > 1'
expect_rc 3
expect_out ""
expect_err "crm: config.yaml:$(wc -l <.crm/config.yaml | tr -d ' '): lead_scoring: bad filter at column 1: lead scoring rules cannot use score"
cp "$TEST_ROOT/config.good" .crm/config.yaml

# ================================================================ priority

t "priority: A, B or C from recency, frequency and money among customers with sales"
made crm sale record ana-popescu-k7q2 --item "Audit @ 1000" --at 2026-11-20T10:00:00+02:00 >/dev/null
made crm sale record ana-popescu-k7q2 --item "Audit @ 500" --at 2026-10-20T10:00:00+02:00 >/dev/null
made crm sale record 王小明-x3y4 --item "Mug @ 20" --at 2026-05-20T10:00:00+02:00 >/dev/null
made crm sale record سارا-محمدی-v9w2 --item "Mug @ 200" --at 2026-11-01T10:00:00+02:00 >/dev/null
run crm contact list --fields name,priority,orders,revenue --sort name
expect_rc 0
expect_err ""
expect_out "$(rows <<'EOF'
name|priority|orders|revenue
Ana Popescu|A|2|1500.00
Ioana Marin||0|
Siân Evans||0|
Олена Коваленко||0|
سارا محمدی|C|1|200.00
محمد الأحمد||0|
王小明|C|1|20.00
EOF
)"
run crm contact list --where 'priority = a' --format ids
expect_out "ana-popescu-k7q2"
run crm contact list --where 'priority in (B, C)' --format ids
expect_out "$(printf 'سارا-محمدی-v9w2\n王小明-x3y4')"

finish
