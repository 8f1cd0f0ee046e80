#!/usr/bin/env bash
# crm deal: add (the id and the exact file, the stage and probability defaults from
# config.yaml deals.stages), move (every move kept with at/from/to, the new stage's
# probability), won (with --record-sale: a sale linked both ways), lost, list and its
# filters, the card, custom stages in config.yaml and a bad stage config; bad input
# refused with exact messages and nothing written.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

suffix='[a-km-np-z2-9]{4}' # the id alphabet has no look-alikes (l, o, 0, 1)

new_ws ws --region RO
cd ws || exit 2
ana=$(crm contact add "Ana Popescu" --email ana@example.ro)
bob=$(crm contact add "Bob Marsh")

stage_hint='hint: the stages are: lead, qualified, proposal, negotiation (deals.stages in .crm/config.yaml)'

# ---------------------------------------------------------------- add

t "add prints only the new id: the title's slug and 4 characters"
run crm deal add ana@example.ro --title "Website redesign" --value 12000 --close 2027-01-15
expect_rc 0
expect_err ""
expect_out_match "website-redesign-$suffix"
web=${out%$'\n'}

t "the file: the first stage (lead) and its probability (10), the value in the currency's form, one move"
expect_file_eq "deals/$web.yaml" <<EOF
id: $web
title: Website redesign
contact: $ana
stage: lead
value: "12000.00"
currency: EUR
probability: 10
close: "2027-01-15"
moves:
  - at: 2026-11-25T10:00:00+02:00
    to: lead
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "each configured stage gives its own default probability"
for pair in lead:10 qualified:25 proposal:50 negotiation:75; do
  run crm deal add "$bob" --title "Probe $pair" --stage "${pair%%:*}"
  expect_rc 0
  id=${out%$'\n'}
  expect_eq "stage and probability of --stage ${pair%%:*}" "stage: ${pair%%:*}
probability: ${pair##*:}" "$(grep -E '^(stage|probability):' "deals/$id.yaml")"
  expect_eq "first move of --stage ${pair%%:*}" "  - at: 2026-11-25T10:00:00+02:00
    to: ${pair%%:*}" "$(sed -n '/^moves:/,/^created:/p' "deals/$id.yaml" | sed '1d;$d')"
  rm "deals/$id.yaml"
done

t "--stage, --probability, --currency and --close: the whole file, no value no value key"
run crm deal add "$bob" --title "Hosting plan" --stage negotiation --probability 90 --currency USD \
  --value 300.5 --close "next monday"
expect_rc 0
expect_err ""
expect_out_match "hosting-plan-$suffix"
hosting=${out%$'\n'}
expect_file_eq "deals/$hosting.yaml" <<EOF
id: $hosting
title: Hosting plan
contact: $bob
stage: negotiation
value: "300.50"
currency: USD
probability: 90
close: "2026-11-30"
moves:
  - at: 2026-11-25T10:00:00+02:00
    to: negotiation
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF
run crm deal add "$bob" --title "Audit" --stage proposal
expect_rc 0
audit=${out%$'\n'}
expect_file_eq "deals/$audit.yaml" <<EOF
id: $audit
title: Audit
contact: $bob
stage: proposal
currency: EUR
probability: 50
moves:
  - at: 2026-11-25T10:00:00+02:00
    to: proposal
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "a JPY value has no decimals; a title in any script is slugged"
run crm deal add ana --title "Ünïcode Ärger" --value 1500 --currency JPY --probability 0
expect_rc 0
expect_out_match "unicode-arger-$suffix"
jpy=${out%$'\n'}
expect_eq "title, value, currency, probability" 'title: Ünïcode Ärger
value: "1500"
currency: JPY
probability: 0' "$(grep -E '^(title|value|currency|probability):' "deals/$jpy.yaml")"

t "an unknown --stage is invalid data (exit 3) with the stages in a hint; nothing written"
snapshot .
run crm deal add ana --title "Bad" --stage pitch
expect_rc 3
expect_out ""
expect_err "crm: unknown deal stage 'pitch'
$stage_hint"
expect_unchanged .

t "--stage won or lost is a usage error (exit 2) pointing at deal won / deal lost"
run crm deal add ana --title "Bad" --stage won
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: a deal is won with 'crm deal won'
hint: crm deal won ID [--record-sale]
EOF
run crm deal add ana --title "Bad" --stage lost
expect_rc 2
expect_err <<'EOF'
crm: a deal is lost with 'crm deal lost'
hint: crm deal lost ID --reason R
EOF
expect_unchanged .

t "a bad --probability, --value, --currency or --close is invalid data (exit 3)"
for p in 101 150 -5 50% abc; do
  run crm deal add ana --title "Bad" --probability "$p"
  expect_rc 3
  expect_out ""
  expect_err "crm: bad --probability '$p'
hint: expected a percent from 0 to 100"
done
run crm deal add ana --title "Bad" --value 12.555
expect_rc 3
expect_err <<'EOF'
crm: bad --value '12.555'
hint: expected an amount of EUR with at most 2 decimals
EOF
run crm deal add ana --title "Bad" --value 1.5 --currency JPY
expect_rc 3
expect_err <<'EOF'
crm: bad --value '1.5'
hint: expected a whole number of JPY
EOF
run crm deal add ana --title "Bad" --value=-5
expect_rc 3
expect_err <<'EOF'
crm: bad --value '-5'
hint: expected an amount of EUR with at most 2 decimals
EOF
run crm deal add ana --title "Bad" --currency usd
expect_rc 3
expect_err <<'EOF'
crm: unknown currency 'usd'
hint: use an ISO 4217 code in capitals, such as EUR, USD, GBP, JPY, KWD
EOF
run crm deal add ana --title "Bad" --close someday
expect_rc 3
expect_err_contains "crm: bad --close 'someday'"
expect_unchanged .

t "an unknown contact is exit 1, an empty title exit 2, a missing --title exit 2"
run crm deal add nobody@example.ro --title "Bad"
expect_rc 1
expect_out ""
expect_err <<'EOF'
crm: no contact matches 'nobody@example.ro'
hint: a REF is an id, an id prefix, an email, a phone or an exact name; 'crm contact list' shows them all
EOF
run crm deal add ana --title "   "
expect_rc 2
expect_err "crm: a deal needs a --title"
run crm deal add ana
expect_rc 2
expect_err_contains "crm: --title is required"
expect_unchanged .

# ---------------------------------------------------------------- move

t "move: stdout empty, 'ID: from -> to' on stderr, the new stage's probability, the move kept"
CRM_NOW=2026-11-27T09:30:00+02:00 run crm deal move "$web" qualified
expect_rc 0
expect_out ""
expect_err "$web: lead -> qualified"
expect_file_eq "deals/$web.yaml" <<EOF
id: $web
title: Website redesign
contact: $ana
stage: qualified
value: "12000.00"
currency: EUR
probability: 25
close: "2027-01-15"
moves:
  - at: 2026-11-25T10:00:00+02:00
    to: lead
  - at: 2026-11-27T09:30:00+02:00
    from: lead
    to: qualified
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-27T09:30:00+02:00
EOF

t "move by exact title (any case) with --probability: that probability, not the stage's"
CRM_NOW=2026-11-28T14:00:00+02:00 run crm deal move "website redesign" proposal --probability 60
expect_rc 0
expect_err "$web: qualified -> proposal"
expect_eq "stage and probability" "stage: proposal
probability: 60" "$(grep -E '^(stage|probability):' "deals/$web.yaml")"
expect_eq "the moves" "moves:
  - at: 2026-11-25T10:00:00+02:00
    to: lead
  - at: 2026-11-27T09:30:00+02:00
    from: lead
    to: qualified
  - at: 2026-11-28T14:00:00+02:00
    from: qualified
    to: proposal" "$(sed -n '/^moves:/,/^created:/p' "deals/$web.yaml" | sed '$d')"

t "a move back to an earlier stage is a move like any other; an id prefix finds the deal"
CRM_NOW=2026-11-29T08:00:00+02:00 run crm deal move "${hosting:0:8}" qualified
expect_rc 0
expect_err "$hosting: negotiation -> qualified"
expect_eq "stage and probability" "stage: qualified
probability: 25" "$(grep -E '^(stage|probability):' "deals/$hosting.yaml")"
expect_eq "last move" "  - at: 2026-11-29T08:00:00+02:00
    from: negotiation
    to: qualified" "$(sed -n '/^moves:/,/^created:/p' "deals/$hosting.yaml" | sed '$d' | tail -n 3)"
expect_eq "updated" "updated: 2026-11-29T08:00:00+02:00" "$(grep '^updated:' "deals/$hosting.yaml")"

t "-q: the move is made and nothing is printed"
CRM_NOW=2026-11-29T09:00:00+02:00 run crm -q deal move "$hosting" negotiation
expect_rc 0
expect_out ""
expect_err ""
expect_eq "stage" "stage: negotiation" "$(grep '^stage:' "deals/$hosting.yaml")"

t "moving to the stage it is at is a conflict (exit 4), nothing written"
snapshot .
run crm deal move "$web" proposal
expect_rc 4
expect_out ""
expect_err "crm: deal '$web' is already at proposal"
expect_unchanged .

t "an unknown stage is exit 3 with the stages; won and lost are exit 2 with a hint"
run crm deal move "$web" closing
expect_rc 3
expect_out ""
expect_err "crm: unknown deal stage 'closing'
$stage_hint"
run crm deal move "$web" won
expect_rc 2
expect_err <<'EOF'
crm: a deal is won with 'crm deal won'
hint: crm deal won ID [--record-sale]
EOF
run crm deal move "$web" lost
expect_rc 2
expect_err <<'EOF'
crm: a deal is lost with 'crm deal lost'
hint: crm deal lost ID --reason R
EOF
run crm deal move "$web" negotiation --probability 101
expect_rc 3
expect_err <<'EOF'
crm: bad --probability '101'
hint: expected a percent from 0 to 100
EOF
run crm deal move nothing-here qualified
expect_rc 1
expect_err <<'EOF'
crm: no deal matches 'nothing-here'
hint: give its id or an id prefix; 'crm deal list' shows them all
EOF
expect_unchanged .

# ---------------------------------------------------------------- won / lost

t "won without --record-sale: nothing on stdout, 'won ID' on stderr"
CRM_NOW=2026-12-01T16:00:00+02:00 run crm deal won "$hosting"
expect_rc 0
expect_out ""
expect_err "won $hosting"

t "a won deal: stage won, probability 100, close is the day it was won, the move kept"
expect_file_eq "deals/$hosting.yaml" <<EOF
id: $hosting
title: Hosting plan
contact: $bob
stage: won
value: "300.50"
currency: USD
probability: 100
close: "2026-12-01"
moves:
  - at: 2026-11-25T10:00:00+02:00
    to: negotiation
  - at: 2026-11-29T08:00:00+02:00
    from: negotiation
    to: qualified
  - at: 2026-11-29T09:00:00+02:00
    from: qualified
    to: negotiation
  - at: 2026-12-01T16:00:00+02:00
    from: negotiation
    to: won
created: 2026-11-25T10:00:00+02:00
updated: 2026-12-01T16:00:00+02:00
EOF

t "a won deal cannot be won, lost or moved again (exit 4), nothing written"
snapshot .
run crm deal won "$hosting"
expect_rc 4
expect_out ""
expect_err "crm: deal '$hosting' is already won"
run crm deal lost "$hosting" --reason "changed mind"
expect_rc 4
expect_err "crm: deal '$hosting' is already won"
run crm deal move "$hosting" lead
expect_rc 4
expect_err "crm: deal '$hosting' is already won"
expect_unchanged .

t "won --record-sale on a deal without a value: exit 3 with a hint, nothing written"
run crm deal won "$audit" --record-sale
expect_rc 3
expect_out ""
expect_err "crm: deal '$audit' has no value to sell
hint: set one first: crm deal set $audit value=AMOUNT"
expect_unchanged .

t "--paid-by needs --record-sale (exit 2); a bad --paid-by is exit 3 and the deal stays open"
run crm deal won "$web" --paid-by card
expect_rc 2
expect_err <<'EOF'
crm: --paid-by requires --record-sale
hint: see 'crm deal won -h'
EOF
run crm deal won "$web" --record-sale --paid-by bitcoin
expect_rc 3
expect_out ""
expect_err <<'EOF'
crm: bad --paid-by 'bitcoin'
hint: use one of: card, cash, check, paypal, bank-transfer, other, credit
EOF
expect_unchanged .

t "won --record-sale --paid-by card: the new sale's id on stdout, 'won ID' on stderr"
CRM_NOW=2026-12-02T11:00:00+02:00 run crm deal won "$web" --record-sale --paid-by card
expect_rc 0
expect_match "stdout" "2026-12-02-sale-ana-popescu-$suffix"$'\n' "$out"
expect_err "won $web"
sale=${out%$'\n'}

t "the sale: one item 'TITLE x 1 @ VALUE' in the deal's currency, the note names the deal"
expect_file_eq "sales/2026/12/$sale.yaml" <<EOF
id: $sale
contact: $ana
at: 2026-12-02T11:00:00+02:00
status: completed
currency: EUR
items:
  - product: Website redesign
    quantity: "1"
    price: "12000.00"
    total: "12000.00"
subtotal: "12000.00"
total: "12000.00"
paid_by: card
notes: from deal $web
created: 2026-12-02T11:00:00+02:00
updated: 2026-12-02T11:00:00+02:00
EOF

t "the deal names its sale; the expected close becomes the day it was won"
expect_file_eq "deals/$web.yaml" <<EOF
id: $web
title: Website redesign
contact: $ana
stage: won
value: "12000.00"
currency: EUR
probability: 100
close: "2026-12-02"
sale: $sale
moves:
  - at: 2026-11-25T10:00:00+02:00
    to: lead
  - at: 2026-11-27T09:30:00+02:00
    from: lead
    to: qualified
  - at: 2026-11-28T14:00:00+02:00
    from: qualified
    to: proposal
  - at: 2026-12-02T11:00:00+02:00
    from: proposal
    to: won
created: 2026-11-25T10:00:00+02:00
updated: 2026-12-02T11:00:00+02:00
EOF

t "won --record-sale --paid-by credit in JPY: the sale is on credit (net30) in JPY"
CRM_NOW=2026-12-03T09:00:00+02:00 run crm deal won "$jpy" --record-sale --paid-by credit
expect_rc 0
expect_match "stdout" "2026-12-03-sale-ana-popescu-$suffix"$'\n' "$out"
jsale=${out%$'\n'}
expect_eq "the sale's money lines" 'currency: JPY
  - product: Ünïcode Ärger
    quantity: "1"
    price: "1500"
    total: "1500"
subtotal: "1500"
total: "1500"
paid_by: credit
terms: net30
due: "2027-01-02"' "$(grep -E '^(currency|subtotal|total|paid_by|terms|due):|^  - |^    ' "sales/2026/12/$jsale.yaml")"
expect_eq "the deal's sale" "sale: $jsale" "$(grep '^sale:' "deals/$jpy.yaml")"

t "lost --reason: 'lost ID' on stderr; stage lost, probability 0, the reason, close today"
CRM_NOW=2026-12-04T10:00:00+02:00 run crm deal lost "$audit" --reason "went with a competitor"
expect_rc 0
expect_out ""
expect_err "lost $audit"
expect_file_eq "deals/$audit.yaml" <<EOF
id: $audit
title: Audit
contact: $bob
stage: lost
currency: EUR
probability: 0
close: "2026-12-04"
lost_reason: went with a competitor
moves:
  - at: 2026-11-25T10:00:00+02:00
    to: proposal
  - at: 2026-12-04T10:00:00+02:00
    from: proposal
    to: lost
created: 2026-11-25T10:00:00+02:00
updated: 2026-12-04T10:00:00+02:00
EOF

t "a lost deal cannot be lost or won again (exit 4)"
snapshot .
run crm deal lost "$audit" --reason "again"
expect_rc 4
expect_out ""
expect_err "crm: deal '$audit' is already lost"
run crm deal won "$audit"
expect_rc 4
expect_err "crm: deal '$audit' is already lost"
expect_unchanged .

t "lost without --reason or with a blank one is a usage error (exit 2), nothing written"
run crm deal add ana --title "Training"
expect_rc 0
training=${out%$'\n'}
snapshot .
run crm deal lost "$training"
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: --reason is required
hint: see 'crm deal lost -h'
EOF
run crm deal lost "$training" --reason "  "
expect_rc 2
expect_err <<'EOF'
crm: say why the deal was lost
hint: give it with --reason R
EOF
expect_unchanged .

# ---------------------------------------------------------------- list / show

t "list on a pipe: tsv with the default columns, by expected close (none last)"
run crm deal list
expect_rc 0
expect_err ""
expect_out <<EOF
id	title	contact_name	stage	value	currency	probability	close
$hosting	Hosting plan	Bob Marsh	won	300.50	USD	100	2026-12-01
$web	Website redesign	Ana Popescu	won	12000.00	EUR	100	2026-12-02
$jpy	Ünïcode Ärger	Ana Popescu	won	1500	JPY	100	2026-12-03
$audit	Audit	Bob Marsh	lost		EUR	0	2026-12-04
$training	Training	Ana Popescu	lead		EUR	10	
EOF

t "list --open: only deals neither won nor lost"
CRM_NOW=2026-12-05T10:00:00+02:00 run crm deal move "$training" qualified
expect_rc 0
run crm deal add "$bob" --title "Support contract" --value 80 --stage proposal --close 2027-02-01
expect_rc 0
support=${out%$'\n'}
run crm deal list --open
expect_rc 0
expect_out <<EOF
id	title	contact_name	stage	value	currency	probability	close
$support	Support contract	Bob Marsh	proposal	80.00	EUR	50	2027-02-01
$training	Training	Ana Popescu	qualified		EUR	25	
EOF

t "list --stage S"
run crm deal list --stage won
expect_rc 0
expect_out <<EOF
id	title	contact_name	stage	value	currency	probability	close
$hosting	Hosting plan	Bob Marsh	won	300.50	USD	100	2026-12-01
$web	Website redesign	Ana Popescu	won	12000.00	EUR	100	2026-12-02
$jpy	Ünïcode Ärger	Ana Popescu	won	1500	JPY	100	2026-12-03
EOF
run crm deal list --stage lost --fields id,lost_reason
expect_rc 0
expect_out <<EOF
id	lost_reason
$audit	went with a competitor
EOF

t "list --contact REF (an email) and --open together"
run crm deal list --contact ana@example.ro --open
expect_rc 0
expect_out <<EOF
id	title	contact_name	stage	value	currency	probability	close
$training	Training	Ana Popescu	qualified		EUR	25	
EOF
run crm deal list --contact "Bob Marsh" --fields id
expect_rc 0
expect_out <<EOF
id
$hosting
$audit
$support
EOF

t "nothing listed is exit 1 with the header; an unknown --contact is exit 1"
run crm deal list --stage negotiation
expect_rc 1
expect_out "id	title	contact_name	stage	value	currency	probability	close"
run crm deal list --contact nobody@example.ro
expect_rc 1
expect_out ""
expect_err_contains "crm: no contact matches 'nobody@example.ro'"

t "show: a card with the moves one per line as 'AT from -> to'"
run crm deal show "$web"
expect_rc 0
expect_err ""
expect_out <<EOF
Website redesign
  id            $web
  contact       Ana Popescu ($ana)
  stage         won
  value         12000.00
  currency      EUR
  probability   100
  close         2026-12-02
  sale          $sale
  moves         2026-11-25T10:00:00+02:00 lead
                2026-11-27T09:30:00+02:00 lead -> qualified
                2026-11-28T14:00:00+02:00 qualified -> proposal
                2026-12-02T11:00:00+02:00 proposal -> won
  created       2026-11-25T10:00:00+02:00
  updated       2026-12-02T11:00:00+02:00
  contact_name  Ana Popescu
EOF

t "show --format json: the moves as objects"
run crm deal show "$audit" --format json
expect_rc 0
expect_out_contains '"moves": [
    {
      "at": "2026-11-25T10:00:00+02:00",
      "to": "proposal"
    },
    {
      "at": "2026-12-04T10:00:00+02:00",
      "from": "proposal",
      "to": "lost"
    }
  ]'

cd "$TEST_ROOT" || exit 2

# ---------------------------------------------------------------- custom stages

new_ws custom --region RO
cd custom || exit 2
cara=$(crm contact add "Cara Lind")
# stages_config LINES...: the deals: stages of config.yaml replaced by LINES.
stages_config() {
  local body
  body=$(printf '    %s\n' "$@")
  awk -v body="$body" '/^  stages: / { print "  stages:"; print body; next } { print }' \
    "$TEST_ROOT/config.default" >.crm/config.yaml
}
cp .crm/config.yaml "$TEST_ROOT/config.default"
stages_config "discovery: 20" "demo: 60"

t "custom stages: the first one and its probability are the defaults"
run crm deal add cara --title "Pilot" --value 100
expect_rc 0
expect_err ""
pilot=${out%$'\n'}
expect_file_eq "deals/$pilot.yaml" <<EOF
id: $pilot
title: Pilot
contact: $cara
stage: discovery
value: "100.00"
currency: EUR
probability: 20
moves:
  - at: 2026-11-25T10:00:00+02:00
    to: discovery
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "custom stages: a move takes the stage's probability; the built-in ones are unknown"
run crm deal move "$pilot" demo
expect_rc 0
expect_err "$pilot: discovery -> demo"
expect_eq "probability" "probability: 60" "$(grep '^probability:' "deals/$pilot.yaml")"
snapshot .
run crm deal move "$pilot" lead
expect_rc 3
expect_err <<'EOF'
crm: unknown deal stage 'lead'
hint: the stages are: discovery, demo (deals.stages in .crm/config.yaml)
EOF
expect_unchanged .

t "a stage named won in config.yaml: exit 3 naming config.yaml and the line"
stages_config "discovery: 20" "won: 60"
line=$(grep -n '^    won: 60$' .crm/config.yaml | cut -d: -f1)
snapshot .
run crm deal add cara --title "Never"
expect_rc 3
expect_out ""
expect_err "crm: $PWD/.crm/config.yaml:$line: bad deal stage 'won'
hint: stage names are single words; won and lost are always there"
run crm deal list
expect_rc 3
expect_out ""
expect_err_contains "crm: $PWD/.crm/config.yaml:$line: bad deal stage 'won'"
expect_unchanged .

t "a probability of 150 in config.yaml: exit 3 naming config.yaml and the line"
stages_config "discovery: 150" "demo: 60"
line=$(grep -n '^    discovery: 150$' .crm/config.yaml | cut -d: -f1)
snapshot .
run crm deal add cara --title "Never"
expect_rc 3
expect_out ""
expect_err "crm: $PWD/.crm/config.yaml:$line: bad deals.stages.discovery (expected a percent from 0 to 100) '150'"
expect_unchanged .

t "a stage name with a space: exit 3 naming the line"
stages_config "discovery: 20" "first call: 30"
line=$(grep -n '^    first call: 30$' .crm/config.yaml | cut -d: -f1)
snapshot .
run crm deal add cara --title "Never"
expect_rc 3
expect_err "crm: $PWD/.crm/config.yaml:$line: bad deal stage 'first call'
hint: stage names are single words; won and lost are always there"
expect_unchanged .

t "a stage with no percent: exit 3 naming the line, not an internal error"
stages_config "discovery: 20" "demo:"
line=$(grep -n '^    demo:$' .crm/config.yaml | cut -d: -f1)
run crm deal list
expect_rc 3
expect_out ""
expect_err "crm: $PWD/.crm/config.yaml:$line: deal stage 'demo' needs a percent from 0 to 100"

t "set takes a whole number for probability and stores it as a number; the stage only moves with deal move"
cd "$TEST_ROOT/ws" || exit 2
id=$(crm deal add ana@example.ro --title "Numbers test" --value 10)
run crm deal set "$id" probability=40
expect_rc 0
expect_eq "probability line" "probability: 40" "$(grep '^probability:' "deals/$id.yaml")"
run crm deal set "$id" probability=140
expect_rc 3
expect_err "crm: bad probability '140' (expected a whole number from 0 to 100)"
run crm deal set "$id" stage=won
expect_rc 2
expect_err <<'EOF'
crm: 'stage' cannot be changed
hint: crm maintains it; edit the file by hand if you really must
EOF
expect_eq "stage line" "stage: lead" "$(grep '^stage:' "deals/$id.yaml")"

# ---------------------------------------------------------------- a deal's product

t "add --product: the deal names the product by id; an unknown product is exit 1, nothing written"
cd "$TEST_ROOT" || exit 2
new_ws prod --region RO
cd prod || exit 2
ion=$(crm contact add "Ion Rusu" --stage prospect)
lamp=$(crm product add "Desk lamp" --price 30 --cost 12)
run crm deal add "$ion" --title "Office lamps" --value 300 --product "desk lamp"
expect_rc 0
expect_err ""
lamps=${out%$'\n'}
expect_eq "product line" "product: $lamp" "$(grep '^product:' "deals/$lamps.yaml")"
snapshot .
run crm deal add "$ion" --title "Chairs" --value 100 --product "Chair"
expect_rc 1
expect_out ""
expect_err <<'EOF'
crm: no product matches 'Chair'
hint: give its id or an id prefix; 'crm product list' shows them all
EOF
expect_unchanged .
run crm deal set "$lamps" product=Chair
expect_rc 1
expect_err <<'EOF'
crm: no product matches 'Chair'
hint: give its id or an id prefix; 'crm product list' shows them all
EOF
expect_unchanged .

t "won --record-sale sells the deal's product at the deal's value, with the product's cost"
run crm deal won "$lamps" --record-sale
expect_rc 0
sale=${out%$'\n'}
expect_file_eq "sales/2026/11/$sale.yaml" <<EOF
id: $sale
contact: $ion
at: 2026-11-25T10:00:00+02:00
status: completed
currency: EUR
items:
  - product: Desk lamp
    product_id: $lamp
    quantity: "1"
    price: "300.00"
    cost: "12.00"
    total: "300.00"
subtotal: "300.00"
total: "300.00"
cost: "12.00"
margin: "288.00"
notes: from deal $lamps
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "the sale a won deal records is the contact's first: a customer now"
run crm contact list --fields name,stage
expect_rc 0
expect_out <<'EOF'
name	stage
Ion Rusu	customer
EOF

finish
