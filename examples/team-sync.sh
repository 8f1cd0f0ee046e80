#!/usr/bin/env bash
# Two people share one workspace through a git remote. Each works in a clone;
# `crm sync` pulls, merges record files field by field, refreshes the index and
# pushes. Here Ana and Bogdan change two different fields of the same client on
# the same day: the sync merges both, with no conflict.
#   usage: examples/team-sync.sh DIR      (CRM=path/to/crm to pick a binary)
# On a real team the remote is a server (git@host:team/clients.git); here it is
# a bare repository in DIR, so that the script runs anywhere.
set -euo pipefail
crm=${CRM:-crm}
dir=${1:?usage: team-sync.sh DIR}
mkdir -p "$dir"
cd "$dir"

say() { printf '\n$ %s\n' "$*"; }

# Ana starts the workspace: --git makes it a repository with crm's merge driver
# and a commit after every change.
git init -q --bare remote.git
"$crm" init ana --git --currency EUR >/dev/null
(
  cd ana
  "$crm" contact add "Ioana Mureșan" --email ioana@cafeaua-verde.ro --city Cluj-Napoca >/dev/null
  git remote add origin ../remote.git
  git push -q -u origin HEAD
)

# Bogdan clones it; `crm git setup` registers the merge driver in his clone.
git clone -q remote.git bogdan
(cd bogdan && "$crm" git setup >/dev/null)

# The same client, two fields, two people.
(cd ana && "$crm" contact set ioana stage=customer >/dev/null)
(cd bogdan && "$crm" contact set ioana phones+="0744 555 123" >/dev/null)

say "crm sync   (Ana)"
(cd ana && "$crm" sync)
say "crm sync   (Bogdan: his change and Ana's, merged field by field)"
(cd bogdan && "$crm" sync)
say "crm sync   (Ana again: Bogdan's change comes back)"
(cd ana && "$crm" sync)

say "crm contact show ioana --format json | jq   (in both clones)"
(cd ana && "$crm" contact show ioana --format json) | jq -c '{name, stage, phones: [.phones[].number]}'
(cd bogdan && "$crm" contact show ioana --format json) | jq -c '{name, stage, phones: [.phones[].number]}'
