#!/usr/bin/env bash
# crm due on workspaces whose dates are computed relative to a pinned today: the
# groups (overdue, today, birthdays, cadence, upcoming) in tsv, json and table,
# cadences from the last interaction or the created date, per-stage/per-tag
# defaults from config, exit codes for cron, and the iCalendar file (RFC 5545).
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

# Every date is relative to the day lib.sh pins in CRM_NOW (TZ=UTC), so that the
# suite gives the same answers on any day and at any hour, midnight included.
today=${CRM_NOW:0:10}
day() { date -d "$today $1" +%F; }   # day '-5 days' -> YYYY-MM-DD
md() { date -d "$today $1" +%m-%d; } # md '+4 days'  -> MM-DD
compact() { printf '%s' "${1//-/}"; }
d_m40=$(day '-40 days')
d_m20=$(day '-20 days')
d_m10=$(day '-10 days')
d_m8=$(day '-8 days')
d_m6=$(day '-6 days')
d_m5=$(day '-5 days')
d_m3=$(day '-3 days')
d_m1=$(day '-1 day')
d_p1=$(day '+1 day')
d_p2=$(day '+2 days')
d_p3=$(day '+3 days')
d_p4=$(day '+4 days')
d_p5=$(day '+5 days')
d_p6=$(day '+6 days')
d_p8=$(day '+8 days')
d_p30=$(day '+30 days')
# A leap year, so that a birthday today is valid even on Feb 29.
age=$((${today:0:4} - 1988))
years_p5=$(($(date -d "$today +5 days" +%Y) - 2010))

new_ws ws --region RO
cd ws || exit 2

# Ana: birthday today (with year) and an overdue follow-up; Bogdan: anniversary
# today (no year), follow-ups due yesterday and today; Carmen: cadence 30d, last
# call 40 days ago; Dora (written by hand): cadence 2w, never contacted, added 20
# days ago; Elena: cadence 30d, added today; Florin: a birthday in 4 days and an
# anniversary in 5; Gelu: cadence 2w, last call 8 days ago; Hana: birthday was
# yesterday.
ana=$(made crm contact add "Ana Popescu" --birthday "1988-$(md today)")
bogdan=$(made crm contact add "Bogdan Ion" --anniversary "--$(md today)")
carmen=$(made crm contact add "Carmen Radu")
made crm contact set "$carmen" cadence=30d >/dev/null
made crm log call "$carmen" -m "asked about the new range" --at "$d_m40" >/dev/null
dora="dora-lungu-ab2c"
cat >"contacts/$dora.yaml" <<EOF
id: $dora
name: Dora Lungu
cadence: 2w
created: ${d_m20}T09:00:00+00:00
updated: ${d_m20}T09:00:00+00:00
EOF
elena=$(made crm contact add "Elena Stan" --set cadence=30d)
florin=$(made crm contact add "Florin Pop" --birthday "--$(md '+4 days')" --anniversary "2010-$(md '+5 days')")
gelu=$(made crm contact add "Gelu Dinu" --set cadence=2w)
made crm log call "$gelu" -m "quick check-in" --at "$d_m8" >/dev/null
made crm contact add "Hana Vasile" --birthday "--$(md '-1 day')" >/dev/null

f_offer=$(made crm followup add "$ana" --due "$d_m5" -m "send the offer")
f_deposit=$(made crm followup add "$bogdan" --due "$d_m1" -m "pay the deposit")
f_call=$(made crm followup add "$bogdan" --due today -m "call back")
f_samples=$(made crm followup add "$elena" --due "$d_p3" -m "send the samples")
made crm followup add "$elena" --due "$d_p8" -m "renew the contract" >/dev/null
f_old=$(made crm followup add "$ana" --due "$d_m3" -m "old task")
f_soon=$(made crm followup add "$ana" --due "$d_p2" -m "soon task")

t "done follow-ups, overdue or upcoming, are finished"
run crm followup "done" "$f_old" -m "sorted"
expect_rc 0
run crm followup "done" "$f_soon" -m "sorted early"
expect_rc 0
expect_eq "status of $f_old" "status: done" "$(grep '^status:' "followups/$f_old.yaml")"
expect_eq "status of $f_soon" "status: done" "$(grep '^status:' "followups/$f_soon.yaml")"

t "due on a pipe: tsv in group order overdue, today, birthdays, cadence; exit 0"
run crm due
expect_rc 0
expect_err ""
expect_out <<EOF
group	due	name	summary	id
overdue	$d_m5	Ana Popescu	send the offer	$f_offer
overdue	$d_m1	Bogdan Ion	pay the deposit	$f_deposit
today	$today	Bogdan Ion	call back	$f_call
birthdays	$today	Ana Popescu	birthday ($age years)	$ana
birthdays	$today	Bogdan Ion	anniversary	$bogdan
cadence	$d_m10	Carmen Radu	every 30d, last contact $d_m40	$carmen
cadence	$d_m6	Dora Lungu	every 2w, no contact yet	$dora
EOF

t "done follow-ups, yesterday's birthday and not-yet-due cadences never show"
expect_out_lacks "$f_old"
expect_out_lacks "$f_soon"
expect_out_lacks "Hana Vasile"
expect_out_lacks "Elena Stan"
expect_out_lacks "Gelu Dinu"

t "--upcoming 7d adds the next 7 days after the other groups, by date; day 8 is out"
run crm due --upcoming 7d
expect_rc 0
expect_err ""
expect_out <<EOF
group	due	name	summary	id
overdue	$d_m5	Ana Popescu	send the offer	$f_offer
overdue	$d_m1	Bogdan Ion	pay the deposit	$f_deposit
today	$today	Bogdan Ion	call back	$f_call
birthdays	$today	Ana Popescu	birthday ($age years)	$ana
birthdays	$today	Bogdan Ion	anniversary	$bogdan
cadence	$d_m10	Carmen Radu	every 30d, last contact $d_m40	$carmen
cadence	$d_m6	Dora Lungu	every 2w, no contact yet	$dora
upcoming	$d_p3	Elena Stan	send the samples	$f_samples
upcoming	$d_p4	Florin Pop	birthday	$florin
upcoming	$d_p5	Florin Pop	anniversary ($years_p5 years)	$florin
upcoming	$d_p6	Gelu Dinu	every 2w, last contact $d_m8	$gelu
EOF
expect_out_lacks "renew the contract"

t "--upcoming 1w is the same window as 7d"
expected=$out
run crm due --upcoming 1w
expect_rc 0
expect_eq "--upcoming 1w" "$expected" "$out"

t "--format json: kind, contact and days (late > 0, ahead < 0) for scripts"
run crm due --upcoming 7d --format json
expect_rc 0
expect_err ""
expect_out <<EOF
[
  {
    "group": "overdue",
    "kind": "followup",
    "due": "$d_m5",
    "contact": "$ana",
    "name": "Ana Popescu",
    "summary": "send the offer",
    "id": "$f_offer",
    "days": 5
  },
  {
    "group": "overdue",
    "kind": "followup",
    "due": "$d_m1",
    "contact": "$bogdan",
    "name": "Bogdan Ion",
    "summary": "pay the deposit",
    "id": "$f_deposit",
    "days": 1
  },
  {
    "group": "today",
    "kind": "followup",
    "due": "$today",
    "contact": "$bogdan",
    "name": "Bogdan Ion",
    "summary": "call back",
    "id": "$f_call",
    "days": 0
  },
  {
    "group": "birthdays",
    "kind": "birthday",
    "due": "$today",
    "contact": "$ana",
    "name": "Ana Popescu",
    "summary": "birthday ($age years)",
    "id": "$ana",
    "days": 0
  },
  {
    "group": "birthdays",
    "kind": "anniversary",
    "due": "$today",
    "contact": "$bogdan",
    "name": "Bogdan Ion",
    "summary": "anniversary",
    "id": "$bogdan",
    "days": 0
  },
  {
    "group": "cadence",
    "kind": "cadence",
    "due": "$d_m10",
    "contact": "$carmen",
    "name": "Carmen Radu",
    "summary": "every 30d, last contact $d_m40",
    "id": "$carmen",
    "days": 10
  },
  {
    "group": "cadence",
    "kind": "cadence",
    "due": "$d_m6",
    "contact": "$dora",
    "name": "Dora Lungu",
    "summary": "every 2w, no contact yet",
    "id": "$dora",
    "days": 6
  },
  {
    "group": "upcoming",
    "kind": "followup",
    "due": "$d_p3",
    "contact": "$elena",
    "name": "Elena Stan",
    "summary": "send the samples",
    "id": "$f_samples",
    "days": -3
  },
  {
    "group": "upcoming",
    "kind": "birthday",
    "due": "$d_p4",
    "contact": "$florin",
    "name": "Florin Pop",
    "summary": "birthday",
    "id": "$florin",
    "days": -4
  },
  {
    "group": "upcoming",
    "kind": "anniversary",
    "due": "$d_p5",
    "contact": "$florin",
    "name": "Florin Pop",
    "summary": "anniversary ($years_p5 years)",
    "id": "$florin",
    "days": -5
  },
  {
    "group": "upcoming",
    "kind": "cadence",
    "due": "$d_p6",
    "contact": "$gelu",
    "name": "Gelu Dinu",
    "summary": "every 2w, last contact $d_m8",
    "id": "$gelu",
    "days": -6
  }
]
EOF

# row DUE NAME WHAT ID: one table row (names up to 11 columns, what up to 34).
row() { printf '  %-10s  %-11s  %-34s  %s\n' "$@"; }

t "on a terminal: a heading per group, aligned rows, '(N days late)' on overdue ones only"
run_tty 160 crm due --upcoming 7d --no-color
expect_rc 0
expect_out <<EOF
overdue
$(row "$d_m5" "Ana Popescu" "send the offer (5 days late)" "$f_offer")
$(row "$d_m1" "Bogdan Ion" "pay the deposit (1 day late)" "$f_deposit")
today
$(row "$today" "Bogdan Ion" "call back" "$f_call")
birthdays
$(row "$today" "Ana Popescu" "birthday ($age years)" "$ana")
$(row "$today" "Bogdan Ion" "anniversary" "$bogdan")
cadence
$(row "$d_m10" "Carmen Radu" "every 30d, last contact $d_m40" "$carmen")
$(row "$d_m6" "Dora Lungu" "every 2w, no contact yet" "$dora")
upcoming
$(row "$d_p3" "Elena Stan" "send the samples" "$f_samples")
$(row "$d_p4" "Florin Pop" "birthday" "$florin")
$(row "$d_p5" "Florin Pop" "anniversary ($years_p5 years)" "$florin")
$(row "$d_p6" "Gelu Dinu" "every 2w, last contact $d_m8" "$gelu")
EOF

t "on a terminal with color the group headings are bold"
run_tty 160 crm due
expect_rc 0
expect_eq "first line" $'\e[1moverdue\e[0m' "${out%%$'\n'*}"
expect_out_contains $'\e[1mcadence\e[0m\n'

t "-q prints nothing and still exits 0 when something is due"
run crm due -q
expect_rc 0
expect_out ""
expect_err ""

t "a bad --upcoming is a usage error (exit 2), months are refused too"
snapshot .
run crm due --upcoming x
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: bad --upcoming 'x'
hint: use days or weeks: 7d, 2w
EOF
run crm due --upcoming 1m
expect_rc 2
expect_err <<'EOF'
crm: bad --upcoming '1m'
hint: use days or weeks: 7d, 2w
EOF
expect_unchanged .

t "a contact with a cadence and no interaction is due its cadence after it was added"
run crm due --upcoming 30d
expect_rc 0
expect_eq "Elena's line" "upcoming	$d_p30	Elena Stan	every 30d, no contact yet	$elena" \
  "$(grep -F "	$elena" <<<"$out")"

t "logging a call today pushes the cadence out: no longer due, due again in 30 days"
run crm log call "$carmen" -m "caught up"
expect_rc 0
run crm due
expect_rc 0
expect_out_lacks "Carmen Radu"
run crm due --upcoming 30d
expect_eq "Carmen's line" "upcoming	$d_p30	Carmen Radu	every 30d, last contact $today	$carmen" \
  "$(grep -F "	$carmen" <<<"$out")"

t "a stage change is not an interaction: the cadence still counts from the last call"
run crm contact set "$gelu" stage=customer
expect_rc 0
run crm due --upcoming 7d
expect_eq "Gelu's line" "upcoming	$d_p6	Gelu Dinu	every 2w, last contact $d_m8	$gelu" \
  "$(grep -F "	$gelu" <<<"$out")"

cd "$TEST_ROOT" || exit 2

# --- cadence defaults from .crm/config.yaml ---------------------------------
new_ws defaults --region RO
cd defaults || exit 2
cat >>.crm/config.yaml <<'EOF'
cadence:
  stage:
    customer: 14d
  tag:
    vip: 7d
    friend: 30d
EOF
ion=$(made crm contact add "Ion Marin" --stage customer)
made crm log call "$ion" -m "order ok" --at "$d_m20" >/dev/null
vera=$(made crm contact add "Vera Pop" --tag friend --tag vip)
made crm log email "$vera" -m "newsletter reply" --at "$d_m10" >/dev/null
olga=$(made crm contact add "Olga Rus" --stage customer --set cadence=60d)
made crm log call "$olga" -m "all fine" --at "$d_m20" >/dev/null
lia=$(made crm contact add "Lia Matei" --stage lead --tag cluj)
made crm log call "$lia" -m "cold call" --at "$(day '-100 days')" >/dev/null
paul=$(made crm contact add "Paul Enache" --stage customer)

t "config cadence: the stage's default, the shortest of the tags', none for others"
run crm due
expect_rc 0
expect_err ""
expect_out <<EOF
group	due	name	summary	id
cadence	$d_m6	Ion Marin	every 14d, last contact $d_m20	$ion
cadence	$d_m3	Vera Pop	every 7d, last contact $d_m10	$vera
EOF

t "a contact's own cadence wins over its stage's default"
run crm due --upcoming 45d
expect_rc 0
expect_eq "Olga's line" "upcoming	$(day '+40 days')	Olga Rus	every 60d, last contact $d_m20	$olga" \
  "$(grep -F "	$olga" <<<"$out")"
expect_out_lacks "Lia Matei"

t "a customer added today without any interaction is due 14 days after it was added"
expect_eq "Paul's line" "upcoming	$(day '+14 days')	Paul Enache	every 14d, no contact yet	$paul" \
  "$(grep -F "	$paul" <<<"$out")"

t "a bad period in the config is invalid data (exit 3) naming the file and line"
cp .crm/config.yaml "$TEST_ROOT/config.good"
sed -i 's/^    vip: 7d$/    vip: 7x/' .crm/config.yaml
line=$(grep -n '^    vip: 7x$' .crm/config.yaml | cut -d: -f1)
snapshot .
run crm due
expect_rc 3
expect_out ""
expect_err "crm: $PWD/.crm/config.yaml:$line: bad cadence.tag '7x'"
expect_unchanged .

t "a bad stage period too"
cp "$TEST_ROOT/config.good" .crm/config.yaml
sed -i 's/^    customer: 14d$/    customer: soon/' .crm/config.yaml
line=$(grep -n '^    customer: soon$' .crm/config.yaml | cut -d: -f1)
run crm due
expect_rc 3
expect_out ""
expect_err "crm: $PWD/.crm/config.yaml:$line: bad cadence.stage 'soon'"
cp "$TEST_ROOT/config.good" .crm/config.yaml

cd "$TEST_ROOT" || exit 2

# --- nothing due ---------------------------------------------------------------
new_ws quiet --region RO
cd quiet || exit 2
zoe=$(made crm contact add "Zoe Ilie" --set cadence=30d --birthday "--$(md '+10 days')")
f_done=$(made crm followup add "$zoe" --due "$d_m1" -m "was late")
made crm followup add "$zoe" --due "$d_p8" -m "next week" >/dev/null

t "a done follow-up is not due, even overdue: nothing due is exit 1"
run crm followup "done" "$f_done"
expect_rc 0
run crm due
expect_rc 1
expect_err ""
expect_out "group	due	name	summary	id"

t "nothing due: json is an empty array, -q prints nothing, both exit 1"
run crm due --format json
expect_rc 1
expect_out "[]"
run crm due -q
expect_rc 1
expect_out ""
expect_err ""

t "nothing due within --upcoming 7d either: exit 1"
run crm due --upcoming 7d -q
expect_rc 1
expect_out ""

t "nothing due: the table prints nothing"
run_tty 120 crm due
expect_rc 1
expect_out ""

t "nothing due: --format ics is still a valid empty calendar"
run crm due --format ics
expect_rc 1
expect_eq "calendar" $'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//crm//crm 0.1.0//EN\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:crm: due\r\nEND:VCALENDAR\r\n' "$out"

cd "$TEST_ROOT" || exit 2

# --- the iCalendar file --------------------------------------------------------
new_ws cal --region RO
cd cal || exit 2
PY=python3
if [[ -x /usr/bin/python3 ]]; then PY=/usr/bin/python3; fi
arabic="عبد الرحمن بن محمد الخوارزمي"
welsh="Gwenllïan ferch Gruffydd ap Cynan ap Iago"
ana=$(made crm contact add "Ana Popescu" --birthday "1988-$(md today)")
aziz=$(made crm contact add "$arabic")
gwen=$(made crm contact add "$welsh")
f_offer=$(made crm followup add "$ana" --due "$d_m5" -m "send the offer")
f_arabic=$(made crm followup add "$aziz" --due today -m "اتصل به بخصوص عرض الأسعار الجديد للمشروع")
f_timed=$(made crm followup add "$gwen" --due "${d_p2}T15:30+02:00" -m "call back; bring the contract, v2")

# unfolded FILE: the content lines, CRLF stripped and continuation lines joined.
unfolded() {
  sed 's/\r$//' "$1" | awk 'NR > 1 && /^ / { buf = buf substr($0, 2); next } NR > 1 { print buf } { buf = $0 } END { print buf }'
}
# vevent FILE UID: the unfolded VEVENT with that UID.
vevent() {
  unfolded "$1" | awk -v uid="UID:$2" '
    $0 == "BEGIN:VEVENT" { n = 0; keep = 0 }
    { lines[n++] = $0 }
    $0 == uid { keep = 1 }
    $0 == "END:VEVENT" && keep { for (i = 0; i < n; i++) print lines[i]; keep = 0 }'
}

t "--format ics writes a calendar that passes the strict checker"
crm due --upcoming 7d --format ics >crm.ics
expect_eq "exit code of due --format ics" 0 "$?"
run "$PY" "$CLI_DIR/check_ics.py" -v crm.ics
expect_rc 0
expect_out "4 events"
expect_err ""

t "every line of the file ends in CRLF"
expect_eq "lines ending in CR" "$(wc -l <crm.ics)" "$(grep -c $'\r$' crm.ics)"
expect_eq "bytes after the last CRLF" "" "$(tail -c 2 crm.ics | tr -d '\r\n')"

t "long Arabic and Welsh lines are folded at 75 octets, never inside a character"
longest=$(sed 's/\r$//' crm.ics | LC_ALL=C awk '{ if (length($0) > m) m = length($0) } END { print m }')
expect_true "longest line $longest octets <= 75" test "$longest" -le 75
expect_true "some lines are folded" grep -q '^ ' crm.ics
expect_eq "the Arabic summary, unfolded" "SUMMARY:$arabic: اتصل به بخصوص عرض الأسعار الجديد للمشروع" \
  "$(vevent crm.ics "followup-$f_arabic@crm" | grep '^SUMMARY:')"

stamp=$(unfolded crm.ics | grep -m1 '^DTSTAMP:')

t "DTSTAMP is now, in UTC"
expect_match "DTSTAMP" "DTSTAMP:$(compact "$today")T[0-9]{6}Z" "$stamp"

t "an overdue follow-up: stable UID, on today as an all-day event, category overdue, an alarm at 09:00"
expect_eq "VEVENT" "BEGIN:VEVENT
UID:followup-$f_offer@crm
$stamp
DTSTART;VALUE=DATE:$(compact "$today")
DTEND;VALUE=DATE:$(compact "$d_p1")
SUMMARY:Ana Popescu: send the offer (5 days late)
DESCRIPTION:followup for Ana Popescu ($ana)\\ndue $d_m5\\n$f_offer
CATEGORIES:overdue
TRANSP:TRANSPARENT
BEGIN:VALARM
ACTION:DISPLAY
TRIGGER:PT9H
DESCRIPTION:Ana Popescu: send the offer (5 days late)
END:VALARM
END:VEVENT" "$(vevent crm.ics "followup-$f_offer@crm")"

t "a birthday: all-day on its date, no alarm"
expect_eq "VEVENT" "BEGIN:VEVENT
UID:birthday-$ana-$today@crm
$stamp
DTSTART;VALUE=DATE:$(compact "$today")
DTEND;VALUE=DATE:$(compact "$d_p1")
SUMMARY:Ana Popescu: birthday ($age years)
DESCRIPTION:birthday for Ana Popescu ($ana)\\ndue $today\\n$ana
CATEGORIES:birthdays
TRANSP:TRANSPARENT
END:VEVENT" "$(vevent crm.ics "birthday-$ana-$today@crm")"

t "a follow-up due at a time: DTSTART in UTC, 30 minutes long, text escaped, alarm at the start"
expect_eq "VEVENT" "BEGIN:VEVENT
UID:followup-$f_timed@crm
$stamp
DTSTART:$(compact "$d_p2")T133000Z
DTEND:$(compact "$d_p2")T140000Z
SUMMARY:$welsh: call back\\; bring the contract\\, v2
DESCRIPTION:followup for $welsh ($gwen)\\ndue $d_p2\\n$f_timed
CATEGORIES:upcoming
TRANSP:TRANSPARENT
BEGIN:VALARM
ACTION:DISPLAY
TRIGGER:-PT0M
DESCRIPTION:$welsh: call back\\; bring the contract\\, v2
END:VALARM
END:VEVENT" "$(vevent crm.ics "followup-$f_timed@crm")"

t "the same items give the same UIDs on the next run"
crm due --upcoming 7d --format ics >again.ics
expect_eq "UIDs" "$(unfolded crm.ics | grep "^UID")" "$(unfolded again.ics | grep "^UID")"

t "the checker itself refuses a file with a bare LF line end"
sed 's/\r$//' crm.ics >bad.ics
run "$PY" "$CLI_DIR/check_ics.py" bad.ics
expect_rc 1
expect_err "check_ics: line 1: line ends with a bare LF (CRLF needed)"

cd "$TEST_ROOT" || exit 2

# --- sales on credit -------------------------------------------------------------
new_ws credit --region RO
cd credit || exit 2
d_m45=$(day '-45 days')
ana=$(made crm contact add "Ana Popescu")
bob=$(made crm contact add "Bob Marsh")
eve=$(made crm contact add "Eve Stone")
ion=$(made crm contact add "Ion Marin")
# on_credit AT REF ITEM [options]: a sale on credit (net30 unless told) at a day
# relative to today.
on_credit() {
  local at=$1 who=$2 item=$3
  shift 3
  made crm sale record "$who" --item "$item" --paid-by credit --at "$(day "$at")" "$@"
}
# Ana: 100.00 due 45 days ago, 40.00 of it paid; Bob: due yesterday, and due today;
# Eve: 199.98 USD due in 5 days; Ion: due 10 days ago, one of two shelves refunded.
s_desk=$(on_credit '-75 days' "$ana" "Desk @ 100")
made crm -q payment record "$s_desk" --amount 40 --at "$(day '-50 days')" >/dev/null
s_vase=$(on_credit '-31 days' "$bob" "Vase @ 30")
s_lamp=$(on_credit today "$bob" "Lamp @ 50" --terms "due:$today")
s_gizmo=$(on_credit today "$eve" "Gizmo x 2 @ 99.99" --currency USD --terms "due:$d_p5")
s_shelf=$(on_credit '-40 days' "$ion" "Shelf x 2 @ 45")
made crm -q sale refund "$s_shelf" --item "Shelf x 1" -m "scratched" >/dev/null
# Not owed: paid in full, void, paid by card; and one due in 8 days.
s_mug=$(on_credit '-60 days' "$ana" "Mug @ 20")
made crm -q payment record "$s_mug" --amount 20 >/dev/null
s_rug=$(on_credit '-60 days' "$ana" "Rug @ 70")
made crm -q sale void "$s_rug" >/dev/null
s_cash=$(made crm sale record "$ana" --item "Cash desk @ 70" --paid-by cash --at "$d_m40")
s_far=$(on_credit today "$ana" "Chair @ 70" --terms "due:$d_p8")

t "credit: sales on credit with a balance due today or before, by due date; exit 0"
run crm due
expect_rc 0
expect_err ""
expect_out <<EOF
group	due	name	summary	id
credit	$d_m45	Ana Popescu	owes 60.00 EUR, 45 days late	$s_desk
credit	$d_m10	Ion Marin	owes 45.00 EUR, 10 days late	$s_shelf
credit	$d_m1	Bob Marsh	owes 30.00 EUR, 1 day late	$s_vase
credit	$today	Bob Marsh	owes 50.00 EUR, due today	$s_lamp
EOF

t "credit: paid in full, void, not on credit and not yet due are not listed"
for id in "$s_mug" "$s_rug" "$s_cash" "$s_far" "$s_gizmo"; do expect_out_lacks "$id"; done

t "credit with --upcoming 7d: what falls due in the next 7 days, in its own currency"
run crm due --upcoming 7d
expect_rc 0
expect_err ""
expect_out <<EOF
group	due	name	summary	id
credit	$d_m45	Ana Popescu	owes 60.00 EUR, 45 days late	$s_desk
credit	$d_m10	Ion Marin	owes 45.00 EUR, 10 days late	$s_shelf
credit	$d_m1	Bob Marsh	owes 30.00 EUR, 1 day late	$s_vase
credit	$today	Bob Marsh	owes 50.00 EUR, due today	$s_lamp
upcoming	$d_p5	Eve Stone	owes 199.98 USD	$s_gizmo
EOF

t "credit with --upcoming 8d: the sale due in 8 days too"
run crm due --upcoming 8d
expect_rc 0
expect_eq "the upcoming lines" "upcoming	$d_p5	Eve Stone	owes 199.98 USD	$s_gizmo
upcoming	$d_p8	Ana Popescu	owes 70.00 EUR	$s_far" "$(grep '^upcoming' <<<"$out")"

t "credit --format json: kind payment, the sale id, days late (negative: ahead)"
run crm due --upcoming 7d --format json
expect_rc 0
expect_out <<EOF
[
  {
    "group": "credit",
    "kind": "payment",
    "due": "$d_m45",
    "contact": "$ana",
    "name": "Ana Popescu",
    "summary": "owes 60.00 EUR, 45 days late",
    "id": "$s_desk",
    "days": 45
  },
  {
    "group": "credit",
    "kind": "payment",
    "due": "$d_m10",
    "contact": "$ion",
    "name": "Ion Marin",
    "summary": "owes 45.00 EUR, 10 days late",
    "id": "$s_shelf",
    "days": 10
  },
  {
    "group": "credit",
    "kind": "payment",
    "due": "$d_m1",
    "contact": "$bob",
    "name": "Bob Marsh",
    "summary": "owes 30.00 EUR, 1 day late",
    "id": "$s_vase",
    "days": 1
  },
  {
    "group": "credit",
    "kind": "payment",
    "due": "$today",
    "contact": "$bob",
    "name": "Bob Marsh",
    "summary": "owes 50.00 EUR, due today",
    "id": "$s_lamp",
    "days": 0
  },
  {
    "group": "upcoming",
    "kind": "payment",
    "due": "$d_p5",
    "contact": "$eve",
    "name": "Eve Stone",
    "summary": "owes 199.98 USD",
    "id": "$s_gizmo",
    "days": -5
  }
]
EOF

# crow DUE NAME WHAT ID: one table row of this workspace.
crow() { printf '  %-10s  %-11s  %-28s  %s\n' "$@"; }

t "credit on a terminal: its own heading, the summary as it is"
run_tty 160 crm due --upcoming 7d --no-color
expect_rc 0
expect_out <<EOF
credit
$(crow "$d_m45" "Ana Popescu" "owes 60.00 EUR, 45 days late" "$s_desk")
$(crow "$d_m10" "Ion Marin" "owes 45.00 EUR, 10 days late" "$s_shelf")
$(crow "$d_m1" "Bob Marsh" "owes 30.00 EUR, 1 day late" "$s_vase")
$(crow "$today" "Bob Marsh" "owes 50.00 EUR, due today" "$s_lamp")
upcoming
$(crow "$d_p5" "Eve Stone" "owes 199.98 USD" "$s_gizmo")
EOF

t "credit in the calendar: an all-day event on today for a late payment, no alarm"
crm due --format ics >credit.ics
expect_eq "VEVENT" "BEGIN:VEVENT
UID:payment-$s_desk-$d_m45@crm
$(unfolded credit.ics | grep -m1 '^DTSTAMP:')
DTSTART;VALUE=DATE:$(compact "$today")
DTEND;VALUE=DATE:$(compact "$d_p1")
SUMMARY:Ana Popescu: owes 60.00 EUR\\, 45 days late
DESCRIPTION:payment for Ana Popescu ($ana)\\ndue $d_m45\\n$s_desk
CATEGORIES:credit
TRANSP:TRANSPARENT
END:VEVENT" "$(vevent credit.ics "payment-$s_desk-$d_m45@crm")"
rm credit.ics

t "a partial payment lowers what is owed"
run crm payment record "$s_vase" --amount 12.50
expect_rc 0
expect_err "left to pay: 17.50 EUR"
run crm due
expect_eq "Bob's late line" "credit	$d_m1	Bob Marsh	owes 17.50 EUR, 1 day late	$s_vase" \
  "$(grep -F "	$s_vase" <<<"$out")"

t "paid in full, nothing is due any more: exit 1; the upcoming one is still there"
for pair in "$s_desk:60" "$s_vase:17.50" "$s_lamp:50" "$s_shelf:45"; do
  run crm payment record "${pair%%:*}" --amount "${pair##*:}"
  expect_rc 0
  expect_err "paid in full"
done
run crm due
expect_rc 1
expect_err ""
expect_out "group	due	name	summary	id"
run crm due --upcoming 7d
expect_rc 0
expect_out <<EOF
group	due	name	summary	id
upcoming	$d_p5	Eve Stone	owes 199.98 USD	$s_gizmo
EOF

# ---------------------------------------------------------------- reorder, purchases (a pinned clock)

t "reorder: customers due to buy again by their own rhythm are a group of their own"
export CRM_NOW=2026-11-25T10:00:00+02:00
cd "$TEST_ROOT" || exit 2
new_ws rhythm --region RO
cd rhythm || exit 2
ana=$(crm contact add "Ana Albu")
bob=$(crm contact add "Bob Barbu" --cadence 30d)
for at in 2026-09-24T10:00+02:00 2026-10-24T10:00+02:00; do
  crm sale record "$ana" --item "Beans @ 12" --at "$at" >/dev/null
done
for at in 2026-10-21T10:00+02:00 2026-11-10T10:00+02:00; do
  crm sale record "$bob" --item "Beans @ 12" --at "$at" >/dev/null
done
run crm due
expect_rc 0
expect_err ""
expect_out <<EOF
group	due	name	summary	id
reorder	2026-11-23	Ana Albu	buys every 30 days, last 2026-10-24	$ana
EOF

t "--upcoming: a reorder in the window is upcoming; a purchase restarts a cadence like a call"
run crm due --upcoming 6d
expect_rc 0
expect_out <<EOF
group	due	name	summary	id
reorder	2026-11-23	Ana Albu	buys every 30 days, last 2026-10-24	$ana
upcoming	2026-11-30	Bob Barbu	buys every 20 days, last 2026-11-10	$bob
EOF
run crm due --upcoming 15d
expect_rc 0
expect_out_contains "upcoming	2026-12-10	Bob Barbu	every 30d, last purchase 2026-11-10	$bob"
unset CRM_NOW

finish
