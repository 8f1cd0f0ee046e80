#!/usr/bin/env bash
# crm report: the reports built on ops/reports/report.hpp (revenue, top, rfm, churn, reorder,
# lifecycle, conversion, leads, campaigns, feedback, cross-sell) with exact outputs on
# one small shop (names in Latin, Arabic, Cyrillic and Chinese script, sales on pinned
# days, a refund, a stage change, a campaign with a response, feedback with ratings
# and NPS); the common options (--from/--to, --where, --by, --compare, --table) and
# their usage errors; charts in the terminal and as SVG (checked in Chromium);
# --where/--from/--to on receivables and pipeline; a campaign's audience from a segment.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

# Charts on a pipe are 80 columns wide unless told otherwise.
unset COLUMNS

# crlf: stdin with CRLF line ends (csv is RFC 4180).
crlf() { sed 's/$/\r/'; }

# ================================================================ the shop
# Contacts are created on different days (conversion counts days from `created`);
# everything else happens on 2026-11-25 with the day given by --at.
new_ws shop --region RO
cd shop || exit 2
zoe=$(CRM_NOW=2026-06-15T10:00:00+02:00 made crm contact add "Zoë Müller" --country DE --source referral)
ana=$(CRM_NOW=2026-07-20T10:00:00+02:00 made crm contact add "Ana Popescu" --country RO --source web --tag vip)
omar=$(CRM_NOW=2026-09-01T10:00:00+02:00 made crm contact add "عمر الفاروق" --country EG --source referral --tag vip)
ivan=$(CRM_NOW=2026-10-01T10:00:00+02:00 made crm contact add "Иван Петров" --country UA --source web --stage lead)
li=$(CRM_NOW=2026-10-01T11:00:00+02:00 made crm contact add "李娜" --country CN --source ad --stage prospect)
made crm product add Chair --category furniture --price 100 --cost 60 >/dev/null
made crm product add Lamp --category lighting --price 40 --cost 15 >/dev/null
made crm product add Tea --category food --price 12.50 --cost 5 >/dev/null
autumn=$(made crm campaign add "Autumn mail" --channel email --start 2026-10-01 --end 2026-10-31 --cost 50 \
  --audience "$ivan" --audience "$li")
# Zoë: two orders 20 days apart, then nothing (slipping away).
made crm sale record "$zoe" --item Chair --paid-by card --at 2026-07-01 >/dev/null
made crm sale record "$zoe" --item "Tea x 2" --paid-by cash --at 2026-07-21 >/dev/null
# Ana: three orders, the last five days ago.
made crm sale record "$ana" --item "Chair x 2" --paid-by card --at 2026-08-10 >/dev/null
made crm sale record "$ana" --item Lamp --paid-by card --at 2026-10-05 >/dev/null
made crm sale record "$ana" --item "Tea x 4" --paid-by cash --at 2026-11-20 >/dev/null
# Omar: two orders 40 days apart (due again on 2026-12-04), one lamp of two refunded.
made crm sale record "$omar" --item Chair --item "Tea x 2" --paid-by bank-transfer --at 2026-09-15 >/dev/null
lamps=$(made crm sale record "$omar" --item "Lamp x 2" --paid-by card --at 2026-10-25)
made crm sale refund "$lamps" --item "Lamp x 1" --at 2026-11-10 -m "broken shade" >/dev/null 2>&1
# Ivan: one order from the campaign; Li Na answered it and became a customer without buying.
made crm sale record "$ivan" --item "Tea x 2" --paid-by cash --at 2026-10-20 --campaign "$autumn" >/dev/null
made crm log call "$li" --direction in --campaign "$autumn" --at 2026-10-12T09:00:00+02:00 -m "asked about the offer" >/dev/null
CRM_NOW=2026-10-15T10:00:00+02:00 made crm contact set "$li" stage=customer >/dev/null
made crm feedback add "$ana" --kind review --product Chair --rating 5 --nps 10 -m "solid chair" --at 2026-08-20 >/dev/null
made crm feedback add "$omar" --kind survey --rating 3 --nps 6 -m "fine" --at 2026-09-20 >/dev/null
made crm feedback add "$ivan" --kind complaint --product Tea --rating 2 --nps 2 -m "too bitter" --at 2026-10-25 >/dev/null

# ---------------------------------------------------------------- each report's table

t "revenue: net of the refund, by month, orders without the refund"
run crm report revenue --format table
expect_rc 0
expect_err ""
expect_out <<'EOF'
revenue by month, in EUR, all time: 605.00 from 8 orders

month
month    orders  revenue
2026-07  2       125.00
2026-08  1       200.00
2026-09  1       125.00
2026-10  3       145.00
2026-11  1       10.00
EOF

t "top: customers by revenue with margin and share (names in four scripts)"
run crm report top --format table
expect_rc 0
expect_err ""
expect_out <<'EOF'
top customers by revenue, in EUR, all time: 4 customers, 605.00 in all

customers
rank  name         revenue  orders  margin  share
1     Ana Popescu  290.00   3       135.00  47.9%
2     عمر الفاروق  165.00   2       80.00   27.3%
3     Zoë Müller   125.00   2       55.00   20.7%
4     Иван Петров  25.00    1       15.00   4.1%
EOF

t "rfm: scores per customer (ties share the lower score) and the classes"
run crm report rfm --format table
expect_rc 0
expect_err ""
expect_out <<'EOF'
rfm scores, in EUR, all time: 4 customers (A: score 12 or more, B: 8 or more)

customers
name         last_purchase  days  orders  revenue  r  f  m  score  class
Ana Popescu  2026-11-20     5     3       290.00   4  4  4  12     A
عمر الفاروق  2026-10-25     31    2       165.00   3  2  3  8      B
Zoë Müller   2026-07-21     127   2       125.00   1  2  2  5      C
Иван Петров  2026-10-20     36    1       25.00    2  1  1  4      C

classes
class  customers  revenue  share
A      1          290.00   47.9%
B      1          165.00   27.3%
C      2          150.00   24.8%
EOF

t "churn: Zoë is 6.3 times past her 20-day rhythm; who bought again month to month, November (under way) not yet"
run crm report churn --format table
expect_rc 0
expect_err ""
expect_out <<'EOF'
churn as of 2026-11-25: 1 customer slipping away (more than 2 times their usual interval)

customers
name        orders  last_purchase  usual_days  days_since  times
Zoë Müller  2       2026-07-21     20.0        127         6.3

periods
month    customers_before  retained  churned  churn_rate
2026-08  1                 0         1        100.0%
2026-09  1                 0         1        100.0%
2026-10  1                 1         0        0.0%

lost
  (none)
EOF

t "reorder: Omar buys every 40 days, due on 2026-12-04; Ana (51 days) is not due yet"
run crm report reorder --format table
expect_rc 0
expect_err ""
expect_out <<'EOF'
due to reorder by 2026-12-09 (as of 2026-11-25): 1 customer

customers
name         orders  last_purchase  usual_days  next_due    days
عمر الفاروق  2       2026-10-25     40.0        2026-12-04  9
EOF

t "lifecycle: contacts per stage and the moves (to customer by hand, and by a first sale)"
run crm report lifecycle --format table
expect_rc 0
expect_err ""
expect_out <<'EOF'
lifecycle: 5 contacts now; moves all time

stages
stage     contacts  entered  left
lead      0         1        1
prospect  0         1        1
customer  5         5        0
(none)    0         0        5

moves
from      to        contacts
(none)    customer  3
(none)    lead      1
(none)    prospect  1
lead      customer  1
prospect  customer  1
EOF

t "conversion: new contacts by created month, conversions by first sale or stage, days per source"
run crm report conversion --format table
expect_rc 0
expect_err ""
expect_out <<'EOF'
conversion by month, all time: 5 new contacts, 5 became customers

periods
month    new_contacts  converted  rate    interactions  sales  sales_per_interaction
2026-06  1             0          0.0%    0             0      -
2026-07  1             1          100.0%  0             2      -
2026-08  0             1          -       0             1      -
2026-09  1             1          100.0%  0             1      -
2026-10  2             2          100.0%  1             3      3.00
2026-11  0             0          -       0             1      -

sources
source    contacts  converted  rate    average_days
referral  2         2          100.0%  15.0
web       2         2          100.0%  20.0
ad        1         1          100.0%  14.0
EOF

t "leads: no open lead: the one lead bought, and a first sale makes a customer"
run crm report leads --format table
expect_rc 0
expect_err ""
expect_out <<'EOF'
open leads and prospects by score: 0 (0 lead scoring rules)

leads
  (none)
EOF

t "campaigns: audience 2, one inbound response, one sale, return on cost -50%"
run crm report campaigns --format table
expect_rc 0
expect_err ""
expect_out <<'EOF'
campaigns, in EUR, all time: revenue 25.00, cost 50.00

campaigns
name         channel  start       audience  responses  response_rate  sales  revenue  cost   return
Autumn mail  email    2026-10-01  2         1          50.0%          1      25.00    50.00  -50.0%
EOF

t "feedback: per product (the refund made a return), ratings and NPS (1 promoter, 2 detractors)"
run crm report feedback --format table
expect_rc 0
expect_err ""
expect_out <<'EOF'
feedback, all time: 4 records, 4 open; 0 products flagged

products
product  sales  complaints  returns  complaint_rate  rating  flag
Lamp     2      0           1        0.0%
Tea      4      1           0        25.0%           2.0
Chair    3      0           0        0.0%            5.0

summary
feedback  open  resolved  average_rating  nps  median_resolution
4         4     0         3.3             -33  -
EOF

t "cross-sell: pairs with support and lift"
run crm report cross-sell --format table
expect_rc 0
expect_err ""
expect_out <<'EOF'
products bought together, all time: 4 customers, 3 products, 3 pairs

pairs
product_a  product_b  customers  support  lift
Chair      Tea        3          75.0%    1.00
Chair      Lamp       2          50.0%    1.33
Lamp       Tea        2          50.0%    1.00
EOF

# ---------------------------------------------------------------- csv and json

t "top as csv: the first table only, CRLF, names as they are"
run crm report top --format csv
expect_rc 0
expect_err ""
expect_out "$(crlf <<'EOF'
rank,name,revenue,orders,margin,share
1,Ana Popescu,290.00,3,135.00,47.9%
2,عمر الفاروق,165.00,2,80.00,27.3%
3,Zoë Müller,125.00,2,55.00,20.7%
4,Иван Петров,25.00,1,15.00,4.1%
EOF
)"

t "cross-sell as csv"
run crm report cross-sell --format csv
expect_rc 0
expect_err ""
expect_out "$(crlf <<'EOF'
product_a,product_b,customers,support,lift
Chair,Tea,3,75.0%,1.00
Chair,Lamp,2,50.0%,1.33
Lamp,Tea,2,50.0%,1.00
EOF
)"

t "feedback as json: the facts, one key per table, warnings; open period ends are null"
run crm report feedback --format json
expect_rc 0
expect_err ""
expect_out <<'EOF'
{
  "from": null,
  "to": null,
  "feedback": 4,
  "open": 4,
  "resolved": 0,
  "flagged": 0,
  "products": [
    {
      "product": "Lamp",
      "sales": 2,
      "complaints": 0,
      "returns": 1,
      "complaint_rate": "0.0%",
      "rating": "",
      "flag": ""
    },
    {
      "product": "Tea",
      "sales": 4,
      "complaints": 1,
      "returns": 0,
      "complaint_rate": "25.0%",
      "rating": "2.0",
      "flag": ""
    },
    {
      "product": "Chair",
      "sales": 3,
      "complaints": 0,
      "returns": 0,
      "complaint_rate": "0.0%",
      "rating": "5.0",
      "flag": ""
    }
  ],
  "summary": [
    {
      "feedback": 4,
      "open": 4,
      "resolved": 0,
      "average_rating": "3.3",
      "nps": "-33",
      "median_resolution": "-"
    }
  ],
  "warnings": []
}
EOF

# ---------------------------------------------------------------- period, customers, grouping

t "--from/--to narrow revenue to the days between, both included"
run crm report revenue --from 2026-08-01 --to 2026-10-31 --format table
expect_rc 0
expect_err ""
expect_out <<'EOF'
revenue by month, in EUR, 2026-08-01 to 2026-10-31: 470.00 from 5 orders

month
month    orders  revenue
2026-08  1       200.00
2026-09  1       125.00
2026-10  3       145.00
EOF

t "--from alone (since) and --to alone (until)"
run crm report revenue --from 2026-09-01 --format table
expect_rc 0
expect_out <<'EOF'
revenue by month, in EUR, since 2026-09-01: 280.00 from 5 orders

month
month    orders  revenue
2026-09  1       125.00
2026-10  3       145.00
2026-11  1       10.00
EOF
run crm report revenue --to 2026-08-31 --format table
expect_rc 0
expect_out <<'EOF'
revenue by month, in EUR, until 2026-08-31: 325.00 from 3 orders

month
month    orders  revenue
2026-07  2       125.00
2026-08  1       200.00
EOF

t "revenue as json with --from: the period's start given, its open end null"
run crm report revenue --from 2026-10-01 --format json
expect_rc 0
expect_err ""
expect_out <<'EOF'
{
  "currency": "EUR",
  "from": "2026-10-01",
  "to": null,
  "by": "month",
  "revenue": "155.00",
  "orders": 4,
  "month": [
    {
      "month": "2026-10",
      "orders": 3,
      "revenue": "145.00"
    },
    {
      "month": "2026-11",
      "orders": 1,
      "revenue": "10.00"
    }
  ],
  "warnings": []
}
EOF

t "--where on revenue: only the vip customers' sales (Ana and Omar)"
run crm report revenue --where vip --format table
expect_rc 0
expect_err ""
expect_out <<'EOF'
revenue by month, in EUR, all time: 455.00 from 5 orders

month
month    orders  revenue
2026-08  1       200.00
2026-09  1       125.00
2026-10  2       120.00
2026-11  1       10.00
EOF

t "--where on top: the share is of the customers selected"
run crm report top --where "vip and country = EG" --format table
expect_rc 0
expect_err ""
expect_out <<'EOF'
top customers by revenue, in EUR, all time: 1 customer, 165.00 in all

customers
rank  name         revenue  orders  margin  share
1     عمر الفاروق  165.00   2       80.00   100.0%
EOF

t "--by quarter"
run crm report revenue --by quarter --format table
expect_rc 0
expect_err ""
expect_out <<'EOF'
revenue by quarter, in EUR, all time: 605.00 from 8 orders

quarter
quarter  orders  revenue
2026-Q3  4       450.00
2026-Q4  4       155.00
EOF

t "--by product: per item, the refunded lamp taken off, largest first"
run crm report revenue --by product --format table
expect_rc 0
expect_err ""
# The heading's order count is left out: it adds up the products' orders, so a sale
# of two products counts twice (9 instead of 8; see the report of this suite).
expect_eq "the table" "
product
product  orders  revenue  margin  without_cost
Chair    3       400.00   160.00  0.00
Tea      4       125.00   75.00   0.00
Lamp     2       80.00    50.00   0.00" "$(tail -n +2 <<<"$out")"
expect_eq "the heading's revenue" "revenue by product, in EUR, all time: 605.00" "${out%% from *}"

t "--by payment"
run crm report revenue --by payment --format table
expect_rc 0
expect_err ""
expect_out <<'EOF'
revenue by payment, in EUR, all time: 605.00 from 8 orders

payment
payment        orders  revenue
card           4       380.00
bank-transfer  1       125.00
cash           3       100.00
EOF

t "--compare previous by month: before, change and change_pct (nothing before: -)"
run crm report revenue --compare previous --format table
expect_rc 0
expect_err ""
expect_out <<'EOF'
revenue by month, in EUR, all time: 605.00 from 8 orders

month
month    orders  revenue  before  change   change_pct
2026-07  2       125.00   0.00    125.00   -
2026-08  1       200.00   125.00  75.00    +60.0%
2026-09  1       125.00   200.00  -75.00   -37.5%
2026-10  3       145.00   125.00  20.00    +16.0%
2026-11  1       10.00    145.00  -135.00  -93.1%
EOF

t "--compare previous with --from: the first month is still compared with the one before"
run crm report revenue --compare previous --from 2026-10-01 --format tsv
expect_rc 0
expect_out <<'EOF'
month	orders	revenue	before	change	change_pct
2026-10	3	145.00	125.00	20.00	+16.0%
2026-11	1	10.00	145.00	-135.00	-93.1%
EOF

t "--compare with --by product and no --from/--to is a usage error"
run crm report revenue --compare previous --by product --format table
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: --compare with --by product needs --from and --to
hint: the comparison is the same number of days before --from, or a year earlier
EOF

t "a bad --compare is a usage error"
run crm report revenue --compare lastyear --format table
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: bad --compare 'lastyear'
hint: use previous or year-ago
EOF

t "a bad --by is a usage error naming the groupings"
run crm report revenue --by fortnight --format table
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: bad --by 'fortnight'
hint: use one of: day, week, month, quarter, year, product, category, country, source, payment, campaign
EOF
run crm report churn --by product --format table
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: bad --by 'product'
hint: use one of: day, week, month, quarter, year
EOF

t "--from after --to is a usage error"
run crm report revenue --from 2026-10-01 --to 2026-09-01 --format table
expect_rc 2
expect_out ""
expect_err "crm: --from 2026-10-01 is after --to 2026-09-01"

t "a bad --where is invalid data (exit 3) with the column"
run crm report revenue --where "country = " --format table
expect_rc 3
expect_out ""
expect_err "crm: bad filter at column 11: expected a value, found the end"
run crm report top --where "(((" --format table
expect_rc 3
expect_out ""
expect_err "crm: bad filter at column 4: expected a field, a tag or '(', found the end"

# ---------------------------------------------------------------- --table

t "--table picks the table tsv prints"
run crm report rfm --format tsv --table classes
expect_rc 0
expect_err ""
expect_out <<'EOF'
class	customers	revenue	share
A	1	290.00	47.9%
B	1	165.00	27.3%
C	2	150.00	24.8%
EOF

t "--table in a table: only that table under the heading"
run crm report conversion --table sources --format table
expect_rc 0
expect_out <<'EOF'
conversion by month, all time: 5 new contacts, 5 became customers

sources
source    contacts  converted  rate    average_days
referral  2         2          100.0%  15.0
web       2         2          100.0%  20.0
ad        1         1          100.0%  14.0
EOF

t "an unknown --table is a usage error listing the tables"
run crm report rfm --format tsv --table bogus
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: bad --table 'bogus'
hint: use one of: customers, classes
EOF
# As a table the same error, before anything is printed.
run crm report rfm --table bogus --format table
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: bad --table 'bogus'
hint: use one of: customers, classes
EOF

# ---------------------------------------------------------------- on a pipe, every period, ids

t "on a pipe a report is its first table as tsv, like every list: no heading, no blank line"
run crm report revenue
expect_rc 0
expect_err ""
expect_out <<'EOF'
month	orders	revenue
2026-07	2	125.00
2026-08	1	200.00
2026-09	1	125.00
2026-10	3	145.00
2026-11	1	10.00
EOF

t "revenue by month has the months with no sale, as 0 (Ana bought nothing in September)"
run crm report revenue --where "country = RO"
expect_rc 0
expect_out <<'EOF'
month	orders	revenue
2026-08	1	200.00
2026-09	0	0.00
2026-10	1	40.00
2026-11	1	50.00
EOF

t "--chart over time counts the empty month: four periods, September at 0"
run crm report revenue --where "country = RO" --chart
expect_rc 0
expect_out_contains "2026-08 .. 2026-11 (4 periods)"
expect_out_contains "min 0.00 (2026-09)  max 200.00 (2026-08)"

t "--format ids: the customers of top, in rank order"
run crm report top --format ids
expect_rc 0
expect_err ""
expect_out <<EOF
$ana
$omar
$zoe
$ivan
EOF

t "--format ids: churn's customers slipping away; a table of periods has none"
run crm report churn --format ids
expect_rc 0
expect_out "$zoe"
run crm report churn --format ids --table periods
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: table 'periods' of report churn has no ids
hint: ids come with --table customers
EOF

t "--format ids: a report of groups is refused, not an empty success"
run crm report revenue --format ids
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: report revenue has no ids: its rows are groups, not records
hint: --format tsv prints its rows
EOF

# ---------------------------------------------------------------- terminal charts

t "--chart for top: bars 80 columns wide, eighths at the end, values right-aligned"
run crm report top --chart
expect_rc 0
expect_err ""
expect_out <<'EOF'
top customers by revenue, in EUR, all time: 4 customers, 605.00 in all
Ana Popescu █████████████████████████████████████████████████████████████ 290.00
عمر الفاروق ██████████████████████████████████▊                           165.00
Zoë Müller  ██████████████████████████▎                                   125.00
Иван Петров █████▎                                                         25.00
EOF

t "--chart for revenue by month: a sparkline, the range, min and max, then bars"
run crm report revenue --chart
expect_rc 0
expect_err ""
expect_out <<'EOF'
revenue by month, in EUR, all time: 605.00 from 8 orders
▅█▅▆▁
2026-07 .. 2026-11 (5 periods)
min 10.00 (2026-11)  max 200.00 (2026-08)

2026-07 ████████████████████████████████████████▋                         125.00
2026-08 █████████████████████████████████████████████████████████████████ 200.00
2026-09 ████████████████████████████████████████▋                         125.00
2026-10 ███████████████████████████████████████████████▏                  145.00
2026-11 ███▎                                                               10.00
EOF

t "--chart with --table draws that table"
run crm report rfm --chart --table classes
expect_rc 0
expect_err ""
expect_out <<'EOF'
rfm scores, in EUR, all time: 4 customers (A: score 12 or more, B: 8 or more)
A ██████████████████████████████████████                                       1
B ██████████████████████████████████████                                       1
C ████████████████████████████████████████████████████████████████████████████ 2
EOF

# ---------------------------------------------------------------- svg charts

t "--chart svg -o: bars for top, a file Chromium shows (every text inside, none overlapping)"
run crm report top --chart svg -o top.svg
expect_rc 0
expect_out ""
expect_err "wrote top.svg"
expect_file top.svg
run "$CLI_DIR/check_svg.sh" top.svg
expect_rc 0
expect_out "SVG-OK n_texts=14 n_bars=4"

t "--chart svg -o: revenue by month over five months is a line"
run crm report revenue --by month --chart svg -o rev.svg
expect_rc 0
expect_out ""
expect_err "wrote rev.svg"
expect_eq "polylines" "1" "$(grep -c '<polyline' rev.svg)"
expect_eq "bars" "0" "$(grep -c '<rect class="bar"' rev.svg)"
run "$CLI_DIR/check_svg.sh" rev.svg
expect_rc 0
expect_out "SVG-OK n_texts=12 n_bars=0"

t "--chart svg without -o is a usage error, and nothing is written"
run crm report top --chart svg
expect_rc 2
expect_out ""
expect_err "crm: --chart svg needs -o FILE.svg"

t "--chart bogus is a usage error"
run crm report top --chart bogus
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: bad --chart 'bogus'
hint: use --chart (terminal) or --chart svg
EOF

t "the reports are read-only (charts written outside the workspace's records aside)"
rm -f top.svg rev.svg
snapshot .
for r in revenue top rfm churn reorder lifecycle conversion leads campaigns feedback cross-sell; do
  run crm report "$r"
  expect_rc 0
done
expect_unchanged .

# ---------------------------------------------------------------- audience from a segment

t "campaign audience --segment adds the segment's members (Ana and Omar)"
run crm segment create VIPs --where vip
expect_rc 0
expect_out "vips"
run crm campaign audience "Autumn mail" --segment VIPs
expect_rc 0
expect_out ""
expect_err "added 2 contacts; audience: 4"
run crm campaign audience "Autumn mail" "$li" --segment VIPs
expect_rc 0
expect_err "added 0 contacts; audience: 4"
run crm report campaigns --format tsv
expect_rc 0
expect_out <<'EOF'
name	channel	start	audience	responses	response_rate	sales	revenue	cost	return
Autumn mail	email	2026-10-01	4	1	25.0%	1	25.00	50.00	-50.0%
EOF

cd "$TEST_ROOT" || exit 2

# ================================================================ receivables and pipeline
new_ws owed --region RO
cd owed || exit 2
a=$(made crm contact add "Ana Popescu" --country RO --tag vip)
i=$(made crm contact add "Иван Петров" --country UA)
o=$(made crm contact add "عمر الفاروق" --country EG --tag vip)
s_a=$(made crm sale record "$a" --item "Chair @ 100" --paid-by credit --at 2026-09-01)
s_o=$(made crm sale record "$o" --item "Lamp @ 40" --paid-by credit --at 2026-10-01)
s_i=$(made crm sale record "$i" --item "Tea x 2 @ 12.50" --paid-by credit --at 2026-11-10)
made crm deal add "$a" --title "Big order" --value 1000 --stage proposal --close 2026-12-15 >/dev/null
made crm deal add "$i" --title "Tea subscription" --value 300 --close 2027-01-20 >/dev/null
made crm deal add "$o" --title Lamps --value 200 --stage qualified --close 2026-12-05 >/dev/null

t "receivables --where: only the matching customers' sales"
run crm report receivables --where "country = UA" --format table
expect_rc 0
expect_err ""
expect_out <<EOF
receivables on 2026-11-25, in EUR

customers
name         balance  current  1-30  31-60  61-90  90+   on_time  late  open
Иван Петров  25.00    25.00    0.00  0.00   0.00   0.00  0        0     1
total        25.00    25.00    0.00  0.00   0.00   0.00

sales
sale                              name         date        due         total  paid  balance  currency  days  bucket
$s_i  Иван Петров  2026-11-10  2026-12-10  25.00  0.00  25.00    EUR       0     current
EOF

t "receivables --from/--to: only the sales made between"
run crm report receivables --from 2026-09-15 --to 2026-10-31 --format tsv --by sales
expect_rc 0
expect_err ""
expect_out <<EOF
sale	name	date	due	total	paid	balance	currency	days	bucket
$s_o	عمر الفاروق	2026-10-01	2026-10-31	40.00	0.00	40.00	EUR	25	1-30
EOF
: "$s_a"

t "pipeline --where: only the matching customers' deals"
run crm report pipeline --where "country = UA" --format table
expect_rc 0
expect_err ""
expect_out <<'EOF'
pipeline on 2026-11-25, in EUR

stages
stage        probability  deals  value   weighted
lead         10           1      300.00  30.00
qualified    25           0      0.00    0.00
proposal     50           0      0.00    0.00
negotiation  75           0      0.00    0.00
open                      1      300.00  30.00

months
month    deals  value   weighted
2027-01  1      300.00  30.00

closed
won  lost  win_rate  won_value
0    0     -         0.00

times
  (none)
EOF

t "pipeline --from/--to: the deals expected to close between"
run crm report pipeline --from 2026-12-01 --to 2026-12-31 --format table
expect_rc 0
expect_err ""
expect_out <<'EOF'
pipeline on 2026-11-25, in EUR

stages
stage        probability  deals  value    weighted
lead         10           0      0.00     0.00
qualified    25           1      200.00   50.00
proposal     50           1      1000.00  500.00
negotiation  75           0      0.00     0.00
open                      2      1200.00  550.00

months
month    deals  value    weighted
2026-12  2      1200.00  550.00

closed
won  lost  win_rate  won_value
0    0     -         0.00

times
  (none)
EOF


t "pipeline on a pipe: its first table as tsv, no heading"
run crm report pipeline
expect_rc 0
expect_err ""
expect_out <<'EOF'
stage	probability	deals	value	weighted
lead	10	1	300.00	30.00
qualified	25	1	200.00	50.00
proposal	50	1	1000.00	500.00
negotiation	75	0	0.00	0.00
open		3	1500.00	580.00
EOF

t "pipeline --table months: every month from the first close to the last"
run crm report pipeline --table months --format tsv
expect_rc 0
expect_out <<'EOF'
month	deals	value	weighted
2026-12	2	1200.00	550.00
2027-01	1	300.00	30.00
EOF

t "pipeline --chart --table months: a sparkline of the weighted value by month"
run crm report pipeline --chart --table months
expect_rc 0
expect_err ""
expect_out_contains "pipeline on 2026-11-25, in EUR"
expect_out_contains "2026-12 .. 2027-01 (2 periods)"

t "receivables --chart: bars of each customer's balance"
run crm report receivables --chart
expect_rc 0
expect_err ""
expect_out <<'EOF'
receivables on 2026-11-25, in EUR
Ana Popescu █████████████████████████████████████████████████████████████ 100.00
عمر الفاروق ████████████████████████▍                                      40.00
Иван Петров ███████████████▎                                               25.00
EOF

t "receivables --table sales --format ids: the sales owed on; the customers by default"
run crm report receivables --table sales --format ids
expect_rc 0
expect_out <<EOF
$s_a
$s_o
$s_i
EOF
run crm report receivables --format ids
expect_rc 0
expect_out <<EOF
$a
$o
$i
EOF

t "receivables --by and --table name the same tables"
run crm report receivables --by sales --format ids
expect_rc 0
expect_eq "the same ids" "$s_a $s_o $s_i" "$(tr -s '\n' ' ' <<<"$out" | sed 's/ $//')"

t "pipeline --format ids is refused: its rows are stages and months, not records"
run crm report pipeline --format ids
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: report pipeline has no ids: its rows are groups, not records
hint: --format tsv prints its rows
EOF

finish
