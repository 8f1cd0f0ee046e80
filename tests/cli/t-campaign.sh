#!/usr/bin/env bash
# crm campaign: add (the exact file, the cost in the currency's form, the workspace's
# currency by default when there is a cost), list, show, set, rm, the audience
# (added/removed counts, idempotent, every REF resolved before anything is written),
# and activities and sales that name a campaign: its id when the name matches a
# campaign record, the text as given otherwise.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

suffix='[a-km-np-z2-9]{4}' # the id alphabet has no look-alikes (l, o, 0, 1)

new_ws ws --region RO --currency RON
cd ws || exit 2
ana=$(crm contact add "Ana Popescu" --email ana@example.ro)
bob=$(crm contact add "Bob Marsh")
cora=$(crm contact add "Cora Lind")

# ---------------------------------------------------------------- add

t "add prints only the new id: the name's slug and 4 characters"
run crm campaign add "Spring sale" --channel email --start 2026-03-01 --end 2026-03-31 --cost 500
expect_rc 0
expect_err ""
expect_out_match "spring-sale-$suffix"
spring=${out%$'\n'}

t "the file: the cost written with the currency's decimals, in the workspace's currency"
expect_file_eq "campaigns/$spring.yaml" <<EOF
id: $spring
name: Spring sale
channel: email
start: "2026-03-01"
end: "2026-03-31"
currency: RON
cost: "500.00"
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "--currency for the cost: 1200.5 USD is 1200.50"
run crm campaign add "Trade fair" --channel event --start 2026-05-10 --cost 1200.5 --currency USD
expect_rc 0
expect_out_match "trade-fair-$suffix"
fair=${out%$'\n'}
expect_file_eq "campaigns/$fair.yaml" <<EOF
id: $fair
name: Trade fair
channel: event
start: "2026-05-10"
currency: USD
cost: "1200.50"
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "without a cost there is no currency either"
run crm campaign add "Word of mouth"
expect_rc 0
wom=${out%$'\n'}
expect_file_eq "campaigns/$wom.yaml" <<EOF
id: $wom
name: Word of mouth
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "a JPY cost has no decimals"
run crm campaign add "Tokyo ads" --channel ad --cost 150000 --currency JPY --start 2026-07-01
expect_rc 0
tokyo=${out%$'\n'}
expect_eq "currency and cost" 'currency: JPY
cost: "150000"' "$(grep -E '^(currency|cost):' "campaigns/$tokyo.yaml")"

t "every channel is accepted"
for channel in email sms social event ad; do
  run crm campaign add "Probe $channel" --channel "$channel"
  expect_rc 0
  expect_eq "channel of $channel" "channel: $channel" "$(grep '^channel:' "campaigns/${out%$'\n'}.yaml")"
  rm "campaigns/${out%$'\n'}.yaml"
done

t "bad channel, cost, currency or date: invalid data (exit 3), nothing written"
snapshot .
run crm campaign add "Bad" --channel tv
expect_rc 3
expect_out ""
expect_err "crm: bad channel 'tv' (expected one of: email, sms, social, event, ad)"
run crm campaign add "Bad" --cost 5.555
expect_rc 3
expect_err "crm: bad cost '5.555' (at most 2 decimals for RON)"
run crm campaign add "Bad" --cost abc
expect_rc 3
expect_err "crm: bad cost 'abc' (expected an amount such as 49.90)"
run crm campaign add "Bad" --cost 1.5 --currency JPY
expect_rc 3
expect_err "crm: bad cost '1.5' (no decimals for JPY)"
run crm campaign add "Bad" --cost 5 --currency usd
expect_rc 3
expect_err "crm: unknown currency 'usd' (expected an ISO 4217 code such as EUR, USD or JPY)"
run crm campaign add "Bad" --start 2026-02-30
expect_rc 3
expect_err "crm: bad date '2026-02-30' (expected YYYY-MM-DD or --MM-DD)"
run crm campaign add "   "
expect_rc 3
expect_err "crm: a campaign needs a name"
expect_unchanged .

# ---------------------------------------------------------------- list / show / set

t "list on a pipe: tsv, latest start first, none last"
run crm campaign list
expect_rc 0
expect_err ""
expect_out <<EOF
id	name	channel	start	end	cost	currency
$tokyo	Tokyo ads	ad	2026-07-01		150000	JPY
$fair	Trade fair	event	2026-05-10		1200.50	USD
$spring	Spring sale	email	2026-03-01	2026-03-31	500.00	RON
$wom	Word of mouth					
EOF

t "show: a card, found by an exact name in any case"
run crm campaign show "spring SALE"
expect_rc 0
expect_out <<EOF
Spring sale
  id        $spring
  channel   email
  start     2026-03-01
  end       2026-03-31
  currency  RON
  cost      500.00
  created   2026-11-25T10:00:00+02:00
  updated   2026-11-25T10:00:00+02:00
EOF
run crm campaign show nothing
expect_rc 1
expect_out ""
expect_err <<'EOF'
crm: no campaign matches 'nothing'
hint: give its id or an id prefix; 'crm campaign list' shows them all
EOF

t "set cost and channel: the cost written in the currency's form, updated stamped"
CRM_NOW=2026-11-26T09:00:00+02:00 run crm campaign set spring cost=750 channel=social
expect_rc 0
expect_out ""
expect_err ""
expect_file_eq "campaigns/$spring.yaml" <<EOF
id: $spring
name: Spring sale
channel: social
start: "2026-03-01"
end: "2026-03-31"
currency: RON
cost: "750.00"
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-26T09:00:00+02:00
EOF

t "set with a bad channel, cost or a currency the cost does not fit: exit 3, nothing written"
snapshot .
run crm campaign set spring channel=radio
expect_rc 3
expect_err "crm: bad channel 'radio' (expected one of: email, sms, social, event, ad)"
run crm campaign set spring cost=5.555
expect_rc 3
expect_err "crm: bad cost '5.555' (at most 2 decimals for RON)"
run crm campaign set spring currency=JPY
expect_rc 3
expect_err "crm: bad cost '750.00' (no decimals for JPY)"
expect_unchanged .

# ---------------------------------------------------------------- audience

t "audience: contacts by email and exact name; 'added N contacts; audience: M' on stderr"
CRM_NOW=2026-11-27T09:00:00+02:00 run crm campaign audience spring ana@example.ro "Bob Marsh"
expect_rc 0
expect_out ""
expect_err "added 2 contacts; audience: 2"
expect_file_eq "campaigns/$spring.yaml" <<EOF
id: $spring
name: Spring sale
channel: social
start: "2026-03-01"
end: "2026-03-31"
currency: RON
cost: "750.00"
audience:
  - $ana
  - $bob
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-27T09:00:00+02:00
EOF

t "adding them again is idempotent: added 0, nothing written"
snapshot .
CRM_NOW=2026-11-28T09:00:00+02:00 run crm campaign audience "$spring" "$ana" bob
expect_rc 0
expect_err "added 0 contacts; audience: 2"
expect_unchanged .

t "one more contact, named twice in one command, is added once"
CRM_NOW=2026-11-28T09:00:00+02:00 run crm campaign audience spring cora "Cora Lind"
expect_rc 0
expect_err "added 1 contact; audience: 3"
expect_eq "audience" "audience:
  - $ana
  - $bob
  - $cora" "$(sed -n '/^audience:/,/^created:/p' "campaigns/$spring.yaml" | sed '$d')"
expect_eq "updated" "updated: 2026-11-28T09:00:00+02:00" "$(grep '^updated:' "campaigns/$spring.yaml")"

t "an unknown REF among known ones: exit 1 and nothing written"
run crm campaign add "Autumn" --channel sms
expect_rc 0
autumn=${out%$'\n'}
snapshot .
run crm campaign audience autumn ana nobody@example.ro bob
expect_rc 1
expect_out ""
expect_err <<'EOF'
crm: no contact matches 'nobody@example.ro'
hint: a REF is an id, an id prefix, an email, a phone or an exact name; 'crm contact list' shows them all
EOF
expect_unchanged .

t "an unknown campaign is exit 1; no REF at all is a usage error (exit 2)"
run crm campaign audience "Winter sale" ana
expect_rc 1
expect_err <<'EOF'
crm: no campaign matches 'Winter sale'
hint: give its id or an id prefix; 'crm campaign list' shows them all
EOF
run crm campaign audience spring
expect_rc 2
expect_err <<'EOF'
crm: no contacts given
hint: give contacts as REF..., or --segment NAME
EOF
expect_unchanged .

t "--remove: 'removed 1 contact; audience: 2', the others kept in order"
CRM_NOW=2026-11-29T09:00:00+02:00 run crm campaign audience spring bob --remove
expect_rc 0
expect_out ""
expect_err "removed 1 contact; audience: 2"
expect_eq "audience" "audience:
  - $ana
  - $cora" "$(sed -n '/^audience:/,/^created:/p' "campaigns/$spring.yaml" | sed '$d')"

t "--remove of a contact not in the audience: removed 0, nothing written"
snapshot .
run crm campaign audience spring bob --remove
expect_rc 0
expect_err "removed 0 contacts; audience: 2"
expect_unchanged .

t "-q: the audience changes and nothing is printed"
run crm -q campaign audience autumn bob
expect_rc 0
expect_out ""
expect_err ""
expect_eq "audience" "audience:
  - $bob" "$(sed -n '/^audience:/,/^created:/p' "campaigns/$autumn.yaml" | sed '$d')"

t "show lists the audience by name, one contact a line; json keeps the ids"
run crm campaign show "$spring"
expect_rc 0
expect_out_contains "  audience  Ana Popescu ($ana)
            Cora Lind ($cora)
"
run crm campaign show "$spring" --format json
expect_rc 0
expect_out_contains "$(printf '  "audience": [\n    "%s",\n    "%s"\n  ],' "$ana" "$cora")"

# ---------------------------------------------------------------- campaigns named elsewhere

# campaign_of FILE: the campaign line of a record file.
campaign_of() { grep '^campaign:' "$1"; }

t "log --campaign NAME of a campaign record stores its id"
run crm log call ana --campaign "Spring sale" -m "called about the offer"
expect_rc 0
expect_eq "campaign" "campaign: $spring" "$(campaign_of "activities/2026/11/${out%$'\n'}.yaml")"

t "log --campaign: the name in any case, an id prefix, the id"
for name in "SPRING SALE" "trade" "$tokyo"; do
  run crm log email ana --campaign "$name" -m "about $name"
  expect_rc 0
  case $name in
    trade) want=$fair ;;
    "$tokyo") want=$tokyo ;;
    *) want=$spring ;;
  esac
  expect_eq "campaign of --campaign '$name'" "campaign: $want" "$(campaign_of "activities/2026/11/${out%$'\n'}.yaml")"
done

t "log --campaign with a name no campaign has: the text as given"
run crm log call ana --campaign "Radio ad" -m "heard the ad"
expect_rc 0
expect_eq "campaign" "campaign: Radio ad" "$(campaign_of "activities/2026/11/${out%$'\n'}.yaml")"

t "sale record --campaign NAME of a campaign record stores its id"
run crm sale record ana --item "A x 1 @ 5" --campaign "Spring sale"
expect_rc 0
sale=${out%$'\n'}
expect_eq "campaign" "campaign: $spring" "$(campaign_of "sales/2026/11/$sale.yaml")"

t "sale record --campaign with a name no campaign has: the text as given"
run crm sale record bob --item "A x 1 @ 5" --campaign "Radio ad"
expect_rc 0
expect_eq "campaign" "campaign: Radio ad" "$(campaign_of "sales/2026/11/${out%$'\n'}.yaml")"

# ---------------------------------------------------------------- rm

t "rm needs --force on a pipe (exit 2); with it the file is gone"
snapshot .
run crm campaign rm "$wom"
expect_rc 2
expect_err <<EOF
crm: refusing to remove campaign '$wom' without --force
hint: stdin is not a terminal, so crm cannot ask; add --force in scripts
EOF
expect_unchanged .
run crm campaign rm "$wom" --force
expect_rc 0
expect_out ""
expect_no_file "campaigns/$wom.yaml"
run crm campaign show "$wom"
expect_rc 1

t "after rm, the campaign's name is stored as text"
run crm log call ana --campaign "Word of mouth" -m "a friend sent her"
expect_rc 0
expect_eq "campaign" "campaign: Word of mouth" "$(campaign_of "activities/2026/11/${out%$'\n'}.yaml")"

t "--campaign is trimmed before it is matched; a name two campaigns share is ambiguous (exit 4), nothing written"
crm campaign add "Winter fair" >/dev/null
crm campaign add "Winter mail" >/dev/null
snapshot .
run crm log call ana@example.ro -m "winter?" --campaign "  winter  "
expect_rc 4
expect_unchanged .
expect_eq "first line" "crm: 'winter' matches 2 campaigns" "$(head -1 <<<"$err")"
run crm log call ana@example.ro -m "winter" --campaign "  winter fair  "
expect_rc 0
expect_eq "campaign" "campaign: $(crm campaign list --format tsv | awk -F'\t' '$2 == "Winter fair" {print $1}')" \
  "$(campaign_of "activities/2026/11/${out%$'\n'}.yaml")"

finish
