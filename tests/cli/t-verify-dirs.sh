#!/usr/bin/env bash
# index.verify: dirs (crm-workspace docs): the freshness check looks only at
# directory mtimes. New, removed and renamed files are seen; an in-place edit of
# an existing file is not, until `crm index rebuild` (the documented trade-off).
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

new_ws ws
cd ws || exit 2
sed -i 's/^  verify: stat$/  verify: dirs/' .crm/config.yaml
ana=$(crm contact add "Ana Popescu" --city Cluj)
# Directory mtimes younger than the racy window are re-listed anyway: age them.
age() { find contacts -exec touch -h -d '2026-01-01 00:00:00' {} +; }
age
crm index status >/dev/null

t "a file added by hand is seen (the directory's mtime moved)"
sed "s/$ana/ioana-m-k7q2/; s/Ana Popescu/Ioana M/" "contacts/$ana.yaml" >contacts/ioana-m-k7q2.yaml
run crm contact list --fields name,city
expect_rc 0
expect_out $'name\tcity\nAna Popescu\tCluj\nIoana M\tCluj'

t "an in-place edit in an unchanged directory is not seen in dirs mode"
age
crm index status >/dev/null
sed -i 's/^city: Cluj$/city: Iasi/' "contacts/$ana.yaml"
touch -h -d '2026-01-01 00:00:00' contacts
run crm contact list --fields name,city
expect_rc 0
expect_out $'name\tcity\nAna Popescu\tCluj\nIoana M\tCluj'

t "index rebuild picks the edit up"
run crm index rebuild
expect_rc 0
expect_out "indexed 2 files (0 broken)"
run crm contact list --fields name,city
expect_out $'name\tcity\nAna Popescu\tIasi\nIoana M\tCluj'

t "with verify: stat the same kind of edit is seen at once"
sed -i 's/^  verify: dirs$/  verify: stat/' .crm/config.yaml
age
crm index status >/dev/null
sed -i 's/^city: Iasi$/city: Arad/' "contacts/$ana.yaml"
touch -h -d '2026-01-01 00:00:00' contacts
run crm contact list --fields name,city
expect_out $'name\tcity\nAna Popescu\tArad\nIoana M\tCluj'

t "a removed file disappears in dirs mode"
sed -i 's/^  verify: stat$/  verify: dirs/' .crm/config.yaml
rm contacts/ioana-m-k7q2.yaml
run crm contact list --fields name
expect_out $'name\nAna Popescu'

finish
