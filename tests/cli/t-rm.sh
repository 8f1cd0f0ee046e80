#!/usr/bin/env bash
# crm contact rm / company rm: asks on a terminal, refuses without --force in
# scripts, never removes a company that a contact still points at.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

new_ws ws --region RO
cd ws || exit 2

ana=$(crm contact add "Ana Pop" --email ana@pop.ro --company "Acme SRL")
bo=$(crm contact add "Bo Pop" --company "Acme SRL")
cy=$(crm contact add "Cy Pop")
co=$(crm company show "acme srl" --format ids)

t "rm without --force when stdin is not a terminal: exit 2, file kept"
snapshot .
run crm contact rm "$cy"
expect_rc 2
expect_out ""
expect_err <<EOF
crm: refusing to remove contact '$cy' without --force
hint: stdin is not a terminal, so crm cannot ask; add --force in scripts
EOF
expect_file "contacts/$cy.yaml"
expect_unchanged .

t "rm --force removes the file, silently"
run crm contact rm "$cy" --force
expect_rc 0
expect_out ""
expect_err ""
expect_no_file "contacts/$cy.yaml"

t "a removed contact is gone from list and from REF lookups"
run crm contact list --format ids --sort name
expect_rc 0
expect_out "$(printf '%s\n%s' "$ana" "$bo")"
run crm contact show "cy pop"
expect_rc 1
expect_err "crm: no contact matches 'cy pop'
hint: a REF is an id, an id prefix, an email, a phone or an exact name; 'crm contact list' shows them all"

t "rm -f takes any REF (here an email)"
extra=$(crm contact add "Dan Pop" --email dan@pop.ro)
run crm contact rm -f DAN@POP.RO
expect_rc 0
expect_no_file "contacts/$extra.yaml"

t "rm of an unknown REF is exit 1 and removes nothing"
snapshot .
run crm contact rm nobody --force
expect_rc 1
expect_out ""
expect_err "crm: no contact matches 'nobody'
hint: a REF is an id, an id prefix, an email, a phone or an exact name; 'crm contact list' shows them all"
expect_unchanged .

t "a company referenced by two contacts cannot be removed: exit 4"
run crm company rm "$co" --force
expect_rc 4
expect_out ""
expect_err <<EOF
crm: company '$co' is still referenced by 2 contacts
hint: first: crm contact set $ana company=
EOF
run crm company rm "$co"
expect_rc 4
expect_unchanged .

t "a company referenced by one contact cannot be removed: exit 4"
crm contact set "$bo" company= >/dev/null
snapshot .
run crm company rm "acme srl" --force
expect_rc 4
expect_out ""
expect_err <<EOF
crm: company '$co' is still referenced by 1 contact
hint: first: crm contact set $ana company=
EOF
expect_file "companies/$co.yaml"
expect_unchanged .

t "once nothing points at it, the company can be removed"
crm contact set "$ana" company= >/dev/null
run crm company rm "$co" --force
expect_rc 0
expect_out ""
expect_err ""
expect_no_file "companies/$co.yaml"
run crm company list --format ids
expect_rc 1
expect_out ""

t "on a terminal rm asks, and no (the default) keeps the file: exit 1"
TTY_INPUT=$'n\n' run_tty 100 crm contact rm "$ana"
expect_rc 1
expect_out_contains "remove contact 'Ana Pop' ($ana)? [y/N] nothing removed"$'\n'
expect_file "contacts/$ana.yaml"
TTY_INPUT=$'\n' run_tty 100 crm contact rm "$ana"
expect_rc 1
expect_out_contains "[y/N] nothing removed"
expect_file "contacts/$ana.yaml"

t "on a terminal, yes removes it"
TTY_INPUT=$'y\n' run_tty 100 crm contact rm "$ana"
expect_rc 0
expect_out_contains "remove contact 'Ana Pop' ($ana)? [y/N] "
expect_out_lacks "nothing removed"
expect_no_file "contacts/$ana.yaml"

finish
