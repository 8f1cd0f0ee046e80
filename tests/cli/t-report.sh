#!/usr/bin/env bash
# crm report receivables and crm report pipeline, with exact outputs: receivables on
# the real clock (sale dates relative to today) with every aging bucket and its
# edges, partial payments, paid on time and late, void sales, refunds, conversion
# with rates.yaml and a missing rate; the pipeline with values weighted once per
# row (half to even), months of expected close, the win rate and the average days
# per stage from the recorded moves.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

# ================================================================ receivables
# Aging counts days from today: every date here is relative to the day lib.sh pins
# in CRM_NOW (TZ=UTC), so the answers do not depend on the day or hour of the run.
pinned_now=$CRM_NOW
today=${CRM_NOW:0:10}
day() { date -d "$today $1" +%F; } # day '-5 days' -> YYYY-MM-DD

new_ws recv --region RO
cd recv || exit 2
ana=$(made crm contact add "Ana Popescu")
bob=$(made crm contact add "Bob Marsh")
cora=$(made crm contact add "Cora Lind")
dan=$(made crm contact add "Dan Ilie")
eve=$(made crm contact add "Eve Stone")
fay=$(made crm contact add "Fay Moss")
gus=$(made crm contact add "Gus Ito")
hal=$(made crm contact add "Hal Berg")

# credit AT CONTACT ITEM [more sale record options]: a sale on credit at a day
# relative to today (net30 unless told).
credit() {
  local at=$1 who=$2 item=$3
  shift 3
  made crm sale record "$who" --item "$item" --paid-by credit --at "$(day "$at")" "$@"
}
pay() { made crm -q payment record "$1" --amount "$2" --at "$(day "$3")" >/dev/null; }

# Ana: one sale not yet due, one 15 days late and paid in part.
a_new=$(credit '-10 days' "$ana" "Chair x 2 @ 50")
a_old=$(credit '-45 days' "$ana" "Desk @ 200")
pay "$a_old" 50 '-20 days'
# Bob: 45 and 70 days late.
b_sofa=$(credit '-75 days' "$bob" "Sofa @ 300")
b_lamp=$(credit '-100 days' "$bob" "Lamp @ 80")
# Cora: 120 days late; one paid on its due day (on time); one paid 40 days late.
c_rug=$(credit '-150 days' "$cora" "Rug @ 60")
c_vase=$(credit '-20 days' "$cora" "Vase @ 40" --terms "due:$(day '-5 days')")
pay "$c_vase" 40 '-5 days'
c_mug=$(credit '-80 days' "$cora" "Mug @ 40")
pay "$c_mug" 40 '-10 days'
# Dan: a void sale, and a sale 10 days late with one shelf refunded.
d_void=$(credit '-5 days' "$dan" "Table @ 500")
made crm -q sale void "$d_void" -m "typo" >/dev/null
d_shelf=$(credit '-40 days' "$dan" "Shelf x 2 @ 45" --item "Box @ 10")
made crm -q sale refund "$d_shelf" --item "Shelf x 1" -m "broken" >/dev/null
# Eve, in USD: 14 days late (rate 0.90), not yet due (rate 0.85), 60 days late and
# before the first USD rate.
e_gadget=$(credit '-44 days' "$eve" "Gadget @ 99.85" --currency USD)
e_cable=$(credit '-20 days' "$eve" "Cable @ 20.01" --currency USD)
e_gizmo=$(credit '-90 days' "$eve" "Gizmo x 2 @ 99.99" --currency USD)
# Fay: paid in full before the due date, nothing owed.
f_book=$(credit '-30 days' "$fay" "Book @ 25" --terms "due:$(day '-10 days')")
pay "$f_book" 25 '-12 days'
# Gus, in JPY: 13 days late.
g_tea=$(credit '-43 days' "$gus" "Tea set @ 1500" --currency JPY)
# Hal: a void sale on credit and a sale paid by card, neither owed.
h_void=$(credit '-50 days' "$hal" "Clock @ 90")
made crm -q sale void "$h_void" >/dev/null
made crm sale record "$hal" --item "Pen @ 3" --paid-by card --at "$(day '-50 days')" >/dev/null

cat >rates.yaml <<EOF
# one unit in EUR
USD:
  $(day '-60 days'): "0.90"
  $(day '-30 days'): "0.85"
JPY:
  $(day '-60 days'): "0.0061"
EOF

missing="warning: no USD rate on or before $(day '-90 days') in rates.yaml (not in the totals)"

# Table rows: every column padded to its width, two spaces apart, no trailing spaces.
crow() { printf '%-11s  %-7s  %-7s  %-6s  %-6s  %-5s  %-5s  %-7s  %-4s  %-4s  %s' "$@" | sed 's/ *$//'; echo; }
srow() { printf '%-32s  %-11s  %-10s  %-10s  %-6s  %-5s  %-7s  %-8s  %-4s  %s' "$@" | sed 's/ *$//'; echo; }
# crlf: stdin with CRLF line ends (csv is RFC 4180).
crlf() { sed 's/$/\r/'; }
# sdate SALE: the day of a sale, from its id.
sdate() { printf '%s' "${1:0:10}"; }

t "receivables as a table (every bucket, totals, sales most overdue first)"
run crm report receivables --format table
expect_rc 0
expect_err "$missing"
expect_out <<EOF
receivables on $today, in EUR

customers
$(crow name balance current 1-30 31-60 61-90 90+ on_time late open unconverted)
$(crow "Bob Marsh" 380.00 0.00 0.00 300.00 80.00 0.00 0 2 0)
$(crow "Ana Popescu" 250.00 100.00 150.00 0.00 0.00 0.00 0 1 1)
$(crow "Eve Stone" 106.87 17.01 89.86 0.00 0.00 0.00 0 2 1 "199.98 USD")
$(crow "Cora Lind" 60.00 0.00 0.00 0.00 0.00 60.00 1 2 0)
$(crow "Dan Ilie" 55.00 0.00 55.00 0.00 0.00 0.00 0 1 0)
$(crow "Gus Ito" 9.15 0.00 9.15 0.00 0.00 0.00 0 1 0)
$(crow "Fay Moss" 0.00 0.00 0.00 0.00 0.00 0.00 1 0 0)
$(crow total 861.02 117.01 304.01 300.00 80.00 60.00)

sales
$(srow sale name date due total paid balance currency days bucket)
$(srow "$c_rug" "Cora Lind" "$(sdate "$c_rug")" "$(day '-120 days')" 60.00 0.00 60.00 EUR 120 90+)
$(srow "$b_lamp" "Bob Marsh" "$(sdate "$b_lamp")" "$(day '-70 days')" 80.00 0.00 80.00 EUR 70 61-90)
$(srow "$e_gizmo" "Eve Stone" "$(sdate "$e_gizmo")" "$(day '-60 days')" 199.98 0.00 199.98 USD 60 31-60)
$(srow "$b_sofa" "Bob Marsh" "$(sdate "$b_sofa")" "$(day '-45 days')" 300.00 0.00 300.00 EUR 45 31-60)
$(srow "$a_old" "Ana Popescu" "$(sdate "$a_old")" "$(day '-15 days')" 200.00 50.00 150.00 EUR 15 1-30)
$(srow "$e_gadget" "Eve Stone" "$(sdate "$e_gadget")" "$(day '-14 days')" 99.85 0.00 99.85 USD 14 1-30)
$(srow "$g_tea" "Gus Ito" "$(sdate "$g_tea")" "$(day '-13 days')" 1500 0 1500 JPY 13 1-30)
$(srow "$d_shelf" "Dan Ilie" "$(sdate "$d_shelf")" "$(day '-10 days')" 55.00 0.00 55.00 EUR 10 1-30)
$(srow "$e_cable" "Eve Stone" "$(sdate "$e_cable")" "$(day '+10 days')" 20.01 0.00 20.01 USD 0 current)
$(srow "$a_new" "Ana Popescu" "$(sdate "$a_new")" "$(day '+20 days')" 100.00 0.00 100.00 EUR 0 current)
EOF

t "sale dates are the days they were recorded at"
expect_eq "dates" "$(day '-150 days') $(day '-44 days') $(day '-10 days')" \
  "$(sdate "$c_rug") $(sdate "$e_gadget") $(sdate "$a_new")"

t "void sales, settled sales and sales not on credit are not listed"
for id in "$d_void" "$h_void" "$c_vase" "$c_mug" "$f_book"; do expect_out_lacks "$id"; done
expect_out_lacks "Hal Berg"

t "--format tsv --by customers: the same rows with the total, the warning on stderr"
run crm report receivables --format tsv --by customers
expect_rc 0
expect_err "$missing"
expect_out <<'EOF'
name	balance	current	1-30	31-60	61-90	90+	on_time	late	open	unconverted
Bob Marsh	380.00	0.00	0.00	300.00	80.00	0.00	0	2	0	
Ana Popescu	250.00	100.00	150.00	0.00	0.00	0.00	0	1	1	
Eve Stone	106.87	17.01	89.86	0.00	0.00	0.00	0	2	1	199.98 USD
Cora Lind	60.00	0.00	0.00	0.00	0.00	60.00	1	2	0	
Dan Ilie	55.00	0.00	55.00	0.00	0.00	0.00	0	1	0	
Gus Ito	9.15	0.00	9.15	0.00	0.00	0.00	0	1	0	
Fay Moss	0.00	0.00	0.00	0.00	0.00	0.00	1	0	0	
total	861.02	117.01	304.01	300.00	80.00	60.00				
EOF

t "--format csv --by sales: one row per sale with a balance"
run crm report receivables --format csv --by sales
expect_rc 0
expect_err "$missing"
expect_out "$(crlf <<EOF
sale,name,date,due,total,paid,balance,currency,days,bucket
$c_rug,Cora Lind,$(sdate "$c_rug"),$(day '-120 days'),60.00,0.00,60.00,EUR,120,90+
$b_lamp,Bob Marsh,$(sdate "$b_lamp"),$(day '-70 days'),80.00,0.00,80.00,EUR,70,61-90
$e_gizmo,Eve Stone,$(sdate "$e_gizmo"),$(day '-60 days'),199.98,0.00,199.98,USD,60,31-60
$b_sofa,Bob Marsh,$(sdate "$b_sofa"),$(day '-45 days'),300.00,0.00,300.00,EUR,45,31-60
$a_old,Ana Popescu,$(sdate "$a_old"),$(day '-15 days'),200.00,50.00,150.00,EUR,15,1-30
$e_gadget,Eve Stone,$(sdate "$e_gadget"),$(day '-14 days'),99.85,0.00,99.85,USD,14,1-30
$g_tea,Gus Ito,$(sdate "$g_tea"),$(day '-13 days'),1500,0,1500,JPY,13,1-30
$d_shelf,Dan Ilie,$(sdate "$d_shelf"),$(day '-10 days'),55.00,0.00,55.00,EUR,10,1-30
$e_cable,Eve Stone,$(sdate "$e_cable"),$(day '+10 days'),20.01,0.00,20.01,USD,0,current
$a_new,Ana Popescu,$(sdate "$a_new"),$(day '+20 days'),100.00,0.00,100.00,EUR,0,current
EOF
)"

t "--format json: totals, aging, the customer with unconverted USD, a sale without a rate"
run crm report receivables --format json
expect_rc 0
expect_err "$missing"
expect_eq "the head of the document" "{
  \"as_of\": \"$today\",
  \"currency\": \"EUR\",
  \"total\": \"861.02\",
  \"aging\": {
    \"current\": \"117.01\",
    \"1-30\": \"304.01\",
    \"31-60\": \"300.00\",
    \"61-90\": \"80.00\",
    \"90+\": \"60.00\"
  }," "$(head -n 11 <<<"$out")"
expect_out_contains "    {
      \"contact\": \"$eve\",
      \"name\": \"Eve Stone\",
      \"balance\": \"106.87\",
      \"current\": \"17.01\",
      \"1-30\": \"89.86\",
      \"31-60\": \"0.00\",
      \"61-90\": \"0.00\",
      \"90+\": \"0.00\",
      \"on_time\": 0,
      \"late\": 2,
      \"open\": 1,
      \"unconverted\": \"199.98 USD\"
    },"
expect_out_contains "    {
      \"sale\": \"$e_gizmo\",
      \"contact\": \"$eve\",
      \"name\": \"Eve Stone\",
      \"date\": \"$(sdate "$e_gizmo")\",
      \"due\": \"$(day '-60 days')\",
      \"total\": \"199.98\",
      \"paid\": \"0.00\",
      \"balance\": \"199.98\",
      \"currency\": \"USD\",
      \"days\": 60,
      \"bucket\": \"31-60\",
      \"balance_base\": null
    },"
expect_out_contains "    {
      \"sale\": \"$g_tea\",
      \"contact\": \"$gus\",
      \"name\": \"Gus Ito\",
      \"date\": \"$(sdate "$g_tea")\",
      \"due\": \"$(day '-13 days')\",
      \"total\": \"1500\",
      \"paid\": \"0\",
      \"balance\": \"1500\",
      \"currency\": \"JPY\",
      \"days\": 13,
      \"bucket\": \"1-30\",
      \"balance_base\": \"9.15\"
    },"
expect_eq "the end of the document" "  \"warnings\": [
    \"no USD rate on or before $(day '-90 days') in rates.yaml\"
  ]
}" "$(printf '%s' "$out" | tail -n 4)"

t "the json customers are the table's without the total row"
expect_eq "customers in order" "$bob $ana $eve $cora $dan $gus $fay" \
  "$(jq -r '[.customers[].contact] | join(" ")' <<<"$out")"
expect_eq "Cora's history" "1 2 0" "$(jq -r '.customers[] | select(.name == "Cora Lind") | "\(.on_time) \(.late) \(.open)"' <<<"$out")"

t "a bad --by with csv is a usage error (exit 2) naming the sections"
run crm report receivables --format csv --by months
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: bad --by 'months'
hint: use one of: customers, sales
EOF

t "with a rate for the old USD sale, everything is converted and the warning is gone"
cat >rates.yaml <<EOF
USD:
  $(day '-100 days'): "0.95"
  $(day '-60 days'): "0.90"
  $(day '-30 days'): "0.85"
JPY:
  $(day '-60 days'): "0.0061"
EOF
run crm report receivables --format tsv --by customers
expect_rc 0
expect_err ""
expect_out <<'EOF'
name	balance	current	1-30	31-60	61-90	90+	on_time	late	open
Bob Marsh	380.00	0.00	0.00	300.00	80.00	0.00	0	2	0
Eve Stone	296.85	17.01	89.86	189.98	0.00	0.00	0	2	1
Ana Popescu	250.00	100.00	150.00	0.00	0.00	0.00	0	1	1
Cora Lind	60.00	0.00	0.00	0.00	0.00	60.00	1	2	0
Dan Ilie	55.00	0.00	55.00	0.00	0.00	0.00	0	1	0
Gus Ito	9.15	0.00	9.15	0.00	0.00	0.00	0	1	0
Fay Moss	0.00	0.00	0.00	0.00	0.00	0.00	1	0	0
total	1051.00	117.01	304.01	489.98	80.00	60.00			
EOF

t "paying the rest of a sale: off the list, and counted as paid late"
run crm payment record "$a_old" --amount 150
expect_rc 0
expect_err "paid in full"
run crm report receivables --format tsv --by customers
expect_rc 0
expect_eq "Ana's row" "Ana Popescu	100.00	100.00	0.00	0.00	0.00	0.00	0	1	1" "$(grep '^Ana' <<<"$out")"
run crm report receivables --format tsv --by sales
expect_out_lacks "$a_old"

t "a refund of all that is left takes a sale off the list"
run crm sale refund "$d_shelf" --item "Shelf x 1" --item "Box x 1" -m "returned the rest"
expect_rc 0
run crm report receivables --format tsv --by sales
expect_rc 0
expect_out_lacks "$d_shelf"
run crm report receivables --format tsv --by customers
expect_eq "Dan's balances" "Dan Ilie	0.00	0.00	0.00	0.00	0.00	0.00" "$(grep '^Dan' <<<"$out" | cut -f1-7)"

cd "$TEST_ROOT" || exit 2

# ---------------------------------------------------------------- bucket edges
new_ws edges --region RO
cd edges || exit 2
zoe=$(made crm contact add "Zoe Ilie")
declare -A edge
for n in 0 1 30 31 60 61 90 91; do
  edge[$n]=$(credit '-120 days' "$zoe" "Item $n @ 1" --terms "due:$(day "-$n days")")
done
edge[-1]=$(credit '-120 days' "$zoe" "Item -1 @ 1" --terms "due:$(day '+1 day')")

t "bucket edges: due today and tomorrow current, 1 and 30 days 1-30, 31/60, 61/90, 91 is 90+"
run crm report receivables --format tsv --by sales
expect_rc 0
expect_err ""
sold=$(day '-120 days')
expect_out <<EOF
sale	name	date	due	total	paid	balance	currency	days	bucket
${edge[91]}	Zoe Ilie	$sold	$(day '-91 days')	1.00	0.00	1.00	EUR	91	90+
${edge[90]}	Zoe Ilie	$sold	$(day '-90 days')	1.00	0.00	1.00	EUR	90	61-90
${edge[61]}	Zoe Ilie	$sold	$(day '-61 days')	1.00	0.00	1.00	EUR	61	61-90
${edge[60]}	Zoe Ilie	$sold	$(day '-60 days')	1.00	0.00	1.00	EUR	60	31-60
${edge[31]}	Zoe Ilie	$sold	$(day '-31 days')	1.00	0.00	1.00	EUR	31	31-60
${edge[30]}	Zoe Ilie	$sold	$(day '-30 days')	1.00	0.00	1.00	EUR	30	1-30
${edge[1]}	Zoe Ilie	$sold	$(day '-1 day')	1.00	0.00	1.00	EUR	1	1-30
${edge[0]}	Zoe Ilie	$sold	$today	1.00	0.00	1.00	EUR	0	current
${edge[-1]}	Zoe Ilie	$sold	$(day '+1 day')	1.00	0.00	1.00	EUR	0	current
EOF

t "bucket edges: the customer's buckets; due today is still open, not late"
run crm report receivables --format tsv --by customers
expect_rc 0
expect_out <<'EOF'
name	balance	current	1-30	31-60	61-90	90+	on_time	late	open
Zoe Ilie	9.00	2.00	2.00	2.00	2.00	1.00	0	7	2
total	9.00	2.00	2.00	2.00	2.00	1.00			
EOF

cd "$TEST_ROOT" || exit 2

# ---------------------------------------------------------------- nothing owed
new_ws none --region RO --currency RON
cd none || exit 2

t "nothing on credit: both sections say (none); json has empty lists; exit 0"
run crm report receivables --format table
expect_rc 0
expect_err ""
expect_out <<EOF
receivables on $today, in RON

customers
  (none)

sales
  (none)
EOF
run crm report receivables --format json
expect_rc 0
expect_out <<EOF
{
  "as_of": "$today",
  "currency": "RON",
  "total": "0.00",
  "aging": {
    "current": "0.00",
    "1-30": "0.00",
    "31-60": "0.00",
    "61-90": "0.00",
    "90+": "0.00"
  },
  "customers": [],
  "sales": [],
  "warnings": []
}
EOF
run crm report receivables --format csv --by sales
expect_rc 0
expect_out "sale,name,date,due,total,paid,balance,currency,days,bucket"$'\r'

t "a bad rates.yaml is invalid data (exit 3) naming the line"
printf 'USD:\n  2026-01-01: "abc"\n' >rates.yaml
run crm report receivables --format table
expect_rc 3
expect_out ""
expect_err 'crm: rates.yaml:2: bad rate '"'abc'"' for USD on 2026-01-01 (expected a number such as 0.92)
hint: write CURRENCY: {YYYY-MM-DD: RATE}, where RATE is one unit of CURRENCY in the base currency'
rm rates.yaml

cd "$TEST_ROOT" || exit 2

# ================================================================ pipeline
# Deals are moved at pinned times (CRM_NOW changed between commands), so that the
# days in each stage are exact.
export CRM_NOW=2026-11-01T10:00:00+02:00
new_ws pipe --region RO
cd pipe || exit 2
made crm contact add "Ana Popescu" >/dev/null
made crm contact add "Bob Marsh" >/dev/null

t "pipeline with no deals: every stage at zero, no win rate"
run crm report pipeline --format table
expect_rc 0
expect_err ""
expect_out <<'EOF'
pipeline on 2026-11-01, in EUR

stages
stage        probability  deals  value  weighted
lead         10           0      0.00   0.00
qualified    25           0      0.00   0.00
proposal     50           0      0.00   0.00
negotiation  75           0      0.00   0.00
open                      0      0.00   0.00

months
  (none)

closed
won  lost  win_rate  won_value
0    0     -         0.00

times
  (none)
EOF

alpha=$(made crm deal add ana --title Alpha --value 1000 --close 2026-12-10)
beta=$(made crm deal add ana --title Beta --value 1.30 --close 2026-12-20)
q1=$(made crm deal add bob --title "Q one" --value 0.10 --stage qualified --close 2026-12-01)
gamma=$(made crm deal add bob --title Gamma --value 2000 --currency USD --close 2027-01-15)
tiny=$(made crm deal add bob --title Tiny --value 0.05 --stage proposal --close 2027-01-31)
delta=$(made crm deal add bob --title Delta --stage negotiation)
eps=$(made crm deal add ana --title Eps --value 500 --stage qualified)
wide=$(made crm deal add bob --title Wide --value 250 --currency USD --stage proposal)
lost=$(made crm deal add bob --title Lost --value 900)
: "$alpha" "$q1" "$tiny" "$delta"
# move AT ID STAGE / win AT ID / lose AT ID
move() { CRM_NOW=$1 made crm deal move "$2" "$3" 2>/dev/null; }
move 2026-11-02T10:00:00+02:00 "$gamma" qualified
CRM_NOW=2026-11-03T10:00:00+02:00 made crm deal lost "$lost" --reason price 2>/dev/null
move 2026-11-04T10:00:00+02:00 "$beta" qualified
move 2026-11-04T22:00:00+02:00 "$gamma" proposal
CRM_NOW=2026-11-11T10:00:00+02:00 made crm deal won "$eps" 2>/dev/null
CRM_NOW=2026-11-12T10:00:00+02:00 made crm deal won "$wide" 2>/dev/null
printf 'USD:\n  2026-01-01: "0.90"\n  2026-11-20: "0.92"\n' >rates.yaml
export CRM_NOW=2026-11-25T10:00:00+02:00

t "pipeline as a table: stages, months, closed and times"
run crm report pipeline --format table
expect_rc 0
expect_err ""
expect_out <<'EOF'
pipeline on 2026-11-25, in EUR

stages
stage        probability  deals  value    weighted
lead         10           1      1000.00  100.00
qualified    25           2      1.40     0.35
proposal     50           2      1840.05  920.02
negotiation  75           1      0.00     0.00
open                      6      2841.45  1020.38

months
month    deals  value    weighted
2026-12  3      1001.40  100.35
2027-01  2      1840.05  920.02
none     1      0.00     0.00

closed
won  lost  win_rate  won_value
2    1     67%       730.00

times
stage      stays  average_days
lead       3      2.0
qualified  2      6.2
proposal   1      11.0
EOF

t "weighted is value x probability / 100 summed per row, then rounded half to even once"
# qualified: 1.30 x 25 + 0.10 x 25 = 0.35 exactly (deal by deal it would be 0.32 + 0.02 or 0.33 + 0.03);
# proposal: 1840.00 x 50 + 0.05 x 50 = 920.025 -> 920.02; open: 1020.3750 -> 1020.38 (not the rows' 1020.37).
run crm report pipeline --format tsv --by stages
expect_rc 0
expect_out <<'EOF'
stage	probability	deals	value	weighted
lead	10	1	1000.00	100.00
qualified	25	2	1.40	0.35
proposal	50	2	1840.05	920.02
negotiation	75	1	0.00	0.00
open		6	2841.45	1020.38
EOF

t "--by months: by expected close, deals without one last as none"
run crm report pipeline --format csv --by months
expect_rc 0
expect_out "$(crlf <<'EOF'
month,deals,value,weighted
2026-12,3,1001.40,100.35
2027-01,2,1840.05,920.02
none,1,0.00,0.00
EOF
)"

t "--by closed: won 2 of 3 is 67%; won value converted at the report day's rate (250 USD x 0.92)"
run crm report pipeline --format tsv --by closed
expect_rc 0
expect_out <<'EOF'
won	lost	win_rate	won_value
2	1	67%	730.00
EOF

t "--by times: lead 3, 1 and 2 days; qualified 2.5 and 10 days (6.25 -> 6.2); proposal 11"
run crm report pipeline --format tsv --by times
expect_rc 0
expect_out <<'EOF'
stage	stays	average_days
lead	3	2.0
qualified	2	6.2
proposal	1	11.0
EOF

t "--format json: every section in one document"
run crm report pipeline --format json
expect_rc 0
expect_err ""
expect_out <<'EOF'
{
  "as_of": "2026-11-25",
  "currency": "EUR",
  "stages": [
    {
      "stage": "lead",
      "probability": 10,
      "deals": 1,
      "value": "1000.00",
      "weighted": "100.00"
    },
    {
      "stage": "qualified",
      "probability": 25,
      "deals": 2,
      "value": "1.40",
      "weighted": "0.35"
    },
    {
      "stage": "proposal",
      "probability": 50,
      "deals": 2,
      "value": "1840.05",
      "weighted": "920.02"
    },
    {
      "stage": "negotiation",
      "probability": 75,
      "deals": 1,
      "value": "0.00",
      "weighted": "0.00"
    },
    {
      "stage": "open",
      "probability": "",
      "deals": 6,
      "value": "2841.45",
      "weighted": "1020.38"
    }
  ],
  "months": [
    {
      "month": "2026-12",
      "deals": 3,
      "value": "1001.40",
      "weighted": "100.35"
    },
    {
      "month": "2027-01",
      "deals": 2,
      "value": "1840.05",
      "weighted": "920.02"
    },
    {
      "month": "none",
      "deals": 1,
      "value": "0.00",
      "weighted": "0.00"
    }
  ],
  "closed": {
    "won": 2,
    "lost": 1,
    "win_rate": "67%",
    "won_value": "730.00"
  },
  "times": [
    {
      "stage": "lead",
      "stays": 3,
      "average_days": "2.0"
    },
    {
      "stage": "qualified",
      "stays": 2,
      "average_days": "6.2"
    },
    {
      "stage": "proposal",
      "stays": 1,
      "average_days": "11.0"
    }
  ],
  "warnings": []
}
EOF

t "a bad --by with tsv is a usage error (exit 2) naming the sections"
run crm report pipeline --format tsv --by weeks
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: bad --by 'weeks'
hint: use one of: stages, months, closed, times
EOF

t "a deal's own probability is what is weighted: Alpha at 40% in lead (edited by hand)"
sed -i 's/^probability: 10$/probability: 40/' "deals/$alpha.yaml"
run crm report pipeline --format tsv --by stages
expect_eq "the lead row" "lead	10	1	1000.00	400.00" "$(grep '^lead' <<<"$out")"
expect_eq "the open row" "open		6	2841.45	1320.38" "$(grep '^open' <<<"$out")"
sed -i 's/^probability: 40$/probability: 10/' "deals/$alpha.yaml"

t "a value without a rate counts as 0 with a warning on stderr"
pounds=$(made crm deal add bob --title Pounds --value 100 --currency GBP --close 2026-12-31)
run crm report pipeline --format tsv --by months
expect_rc 0
expect_err "warning: no GBP rate on or before 2026-11-25 in rates.yaml (counted as 0)"
expect_eq "the December row" "2026-12	4	1001.40	100.35" "$(grep '^2026-12' <<<"$out")"
run crm report pipeline --format json
expect_eq "the warnings" '  "warnings": [
    "no GBP rate on or before 2026-11-25 in rates.yaml"
  ]
}' "$(printf '%s' "$out" | tail -n 4)"
run crm deal rm "$pounds" --force
expect_rc 0

t "a stage no longer in config.yaml is listed after the others with probability 0"
sed -i 's/^  stages: .*/  stages: {lead: 10, qualified: 25, proposal: 50}/' .crm/config.yaml
run crm report pipeline --format tsv --by stages
expect_rc 0
expect_out <<'EOF'
stage	probability	deals	value	weighted
lead	10	1	1000.00	100.00
qualified	25	2	1.40	0.35
proposal	50	2	1840.05	920.02
negotiation	0	1	0.00	0.00
open		6	2841.45	1020.38
EOF

t "the report is read-only"
snapshot .
run crm report pipeline --format table
expect_rc 0
expect_unchanged .

export CRM_NOW=$pinned_now
t "a bad --by is a usage error in every format, with nothing printed on stdout"
for f in table json; do
  run crm report receivables --format "$f" --by foo
  expect_rc 2
  expect_out ""
  expect_err <<'EOF'
crm: bad --by 'foo'
hint: use one of: customers, sales
EOF
done
run crm report pipeline --by foo --format table
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: bad --by 'foo'
hint: use one of: stages, months, closed, times
EOF

finish
