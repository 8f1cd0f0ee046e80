#!/usr/bin/env bash
# The scripts in examples/ run as a user would run them, and say what they should.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

EXAMPLES=$CLI_DIR/../../examples
# The last part of an id is random: masked, so that the rest compares exactly.
mask_ids() { sed -E 's/([0-9a-z])-[0-9a-z]{4}( |$)/\1-XXXX\2/g'; }
followup_id() { find day/followups -name '*.yaml' -printf '%f\n' | sed 's/\.yaml$//'; }

t "first-day.sh: a freelancer's first day, from init to what is due tomorrow"
run env CRM="$CRM" "$EXAMPLES/first-day.sh" day
expect_rc 0
expect_err "follow-up $(followup_id)
left to pay: 225.00 EUR"
expect_eq "the tour's output" "$(cat <<'EOF'

$ crm init day --currency EUR --region RO

$ crm contact list --fields name,company,stage
name                company        stage
Dafydd ap Gruffydd                 prospect
Ioana Mureșan       Cafeaua Verde  customer
Оксана Бондар                      lead

$ crm log call dafydd -m wants a new website --follow-up tomorrow -M send the quote

$ crm report receivables
receivables on 2026-11-25, in EUR

customers
name           balance  current  1-30  31-60  61-90  90+   on_time  late  open
Ioana Mureșan  225.00   225.00   0.00  0.00   0.00   0.00  0        0     1
total          225.00   225.00   0.00  0.00   0.00   0.00

sales
sale                                name           date        due         total   paid    balance  currency  days  bucket
2026-11-25-sale-ioana-muresan-XXXX  Ioana Mureșan  2026-11-25  2026-12-25  450.00  225.00  225.00   EUR       0     current

$ crm due --upcoming 1d
upcoming
  2026-11-26  Dafydd ap Gruffydd  send the quote  2026-11-25-dafydd-ap-gruffydd-XXXX

$ crm timeline ioana
when                       kind     status     summary          id
2026-11-25T10:00:00+02:00  stage               stage: customer  2026-11-25-stage-ioana-muresan-XXXX
2026-11-25T10:00:00+02:00  sale     completed  450.00 EUR       2026-11-25-sale-ioana-muresan-XXXX
2026-11-25T10:00:00+02:00  payment             225.00 EUR       2026-11-25-payment-ioana-muresan-XXXX
EOF
)" "$(mask_ids <<<"$out")"
run crm -C day doctor
expect_rc 0

t "csv-pipelines.sh: sqlite3, Miller and jq over exports, and a Miller edit imported back"
run env CRM="$CRM" "$EXAMPLES/csv-pipelines.sh" day
expect_rc 0
expect_err ""
expect_eq "the pipelines' output" "$(cat <<'EOF'

$ crm export csv | sqlite3: contacts per stage
stage,contacts
customer,1
lead,1
prospect,1

$ crm export csv --type sales | mlr: revenue per customer
contact            total_sum total_count
ioana-muresan-XXXX 450       1

$ crm export json | jq: the customers' emails
Ioana Mureșan	ioana@cafeaua-verde.ro

$ mlr ... | crm import csv: tag the contacts in Cluj-Napoca
import BATCH: 0 created, 1 updated, 0 unchanged, 0 rejected
name	tags
Ioana Mureșan	cafe, cluj
EOF
)" "$(mask_ids <<<"$out" | sed -E 's/^import [0-9a-z-]+:/import BATCH:/')"

t "cron-due.sh mails what is due, with the calendar file, and stays quiet when nothing is"
mkdir -p bin
cat >bin/mail <<'SH'
#!/usr/bin/env bash
# Stands in for mail(1): what it was asked to send goes to ../sent.
{ printf '%s\n' "$*"; cat; } >"$PWD/../sent"
SH
chmod +x bin/mail
(cd day && PATH=$TEST_ROOT/bin:$PATH CRM="$CRM" "$EXAMPLES/cron-due.sh" me@example.org)
expect_eq "exit status" 0 "$?"
expect_eq "the mail" "-s crm: due today -A $(sed -n 's/.*-A \([^ ]*\.ics\).*/\1/p' sent) me@example.org
Due today ($(date +%F)):

upcoming
  2026-11-26  Dafydd ap Gruffydd  send the quote  2026-11-25-dafydd-ap-gruffydd-XXXX" "$(mask_ids <sent)"
rm -f sent
crm -C day followup "done" "$(followup_id)" >/dev/null 2>&1
(cd day && PATH=$TEST_ROOT/bin:$PATH CRM="$CRM" "$EXAMPLES/cron-due.sh" me@example.org)
expect_eq "exit status with nothing due" 0 "$?"
expect_eq "no mail" "no" "$([[ -e sent ]] && echo yes || echo no)"

t "crm-invoice: a plugin on PATH runs as 'crm invoice', in the workspace crm found"
sale=$(find day/sales -name '*.yaml' -printf '%f\n' | sed 's/\.yaml$//')
run env PATH="$EXAMPLES:$PATH" "$CRM" -C day invoice "${sale:0:15}" --from "Maria Pop, Cluj-Napoca"
expect_rc 0
expect_err ""
expect_eq "the invoice" "INVOICE 2026-11-25-sale-ioana-muresan-XXXX
date: 2026-11-25    due: 2026-12-25
from: Maria Pop, Cluj-Napoca
to:   Ioana Mureșan <ioana@cafeaua-verde.ro>

item                              qty      price      total
Logo design                         1     450.00     450.00

total                                                450.00 EUR
paid                                                 225.00 EUR
to pay                                               225.00 EUR" "$(mask_ids <<<"$out")"
run env PATH="$EXAMPLES:$PATH" "$CRM" help -a
expect_match "help -a lists the plugin" ".*crm-invoice.*" "$(grep invoice <<<"$out")"

t "team-sync.sh: two clones change two fields of one client, crm sync merges both"
run env CRM="$CRM" "$EXAMPLES/team-sync.sh" team
expect_rc 0
expect_err ""
expect_out <<'EOF'

$ crm sync   (Ana)
pushed 1 commit

$ crm sync   (Bogdan: his change and Ana's, merged field by field)
pulled 1 commit, pushed 2

$ crm sync   (Ana again: Bogdan's change comes back)
pulled 2 commits

$ crm contact show ioana --format json | jq   (in both clones)
{"name":"Ioana Mureșan","stage":"customer","phones":["0744 555 123"]}
{"name":"Ioana Mureșan","stage":"customer","phones":["0744 555 123"]}
EOF
expect_eq "the clones agree" "$(git -C team/ana rev-parse HEAD)" "$(git -C team/bogdan rev-parse HEAD)"
expect_eq "each crm write is a commit" "contact set: Ioana Mureșan" "$(git -C team/ana log --format=%s --no-merges -1 -- contacts)"

finish
