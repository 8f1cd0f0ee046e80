#!/usr/bin/env bash
# A full disk: a workspace on a small tmpfs. An import that fills it fails with
# exit 5 and takes back what it wrote; while the disk stays full, reading commands
# work and writing ones fail cleanly (exit 5, nothing changed); once there is room
# again, everything works. The tmpfs is mounted in a private mount namespace
# (unshare, no root needed), or directly when run as root.
if [[ -z ${CRM_IN_MOUNT_NS:-} ]] && unshare -Urm true 2>/dev/null; then
  exec unshare -Urm env CRM_IN_MOUNT_NS=1 bash "$0" "$@"
fi
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

mkdir small
if ! mount -t tmpfs -o size=2m tmpfs small 2>"$_LIB/mount.err"; then
  echo "cannot mount a small tmpfs here (no user namespaces, not root): $(cat "$_LIB/mount.err")" >&2
  exit 1
fi
trap 'cd / && umount "$TEST_ROOT/small" 2>/dev/null; rm -rf "$TEST_ROOT" "$_LIB"' EXIT

new_ws small/ws
cd small/ws || exit 2
ana=$(crm contact add "Ana Popescu" --email ana@example.ro)
awk 'BEGIN { print "name,email,city,notes"; for (i = 1; i <= 3000; i++) printf "Person %d,p%d@example.ro,Cluj,%s\n", i, i, sprintf("%0300d", i) }' \
  >"$_LIB/many.csv"

t "an import that fills the disk fails with exit 5 and takes back what it wrote"
snapshot .
run crm import csv "$_LIB/many.csv"
expect_rc 5
expect_out ""
expect_err_match "crm: cannot [^
]*: No space left on device
(hint: [^
]*
)*hint: nothing was imported: what the import had written was taken back"
expect_unchanged .
expect_eq "no journal left" "" "$(ls .crm/imports 2>/dev/null)"
figures "full disk: an import of 3000 rows on a 2 MiB tmpfs: exit $rc, workspace as before"

t "while the disk stays full: reads work, a write fails with exit 5 and changes nothing"
# Fill what is left, outside the workspace's folders.
head -c 4000000 /dev/zero >../filler 2>/dev/null
snapshot .
run crm contact list --format ids
expect_rc 0
expect_out "$ana"
run crm contact show "$ana" --format ids
expect_rc 0
run crm contact add "Ion Pop" --email ion@example.ro
expect_rc 5
expect_err_match "crm: (no space left on device for the index|.*No space left on device).*"
expect_unchanged .
run crm doctor
expect_rc 0
expect_out "no problems found"

t "once there is room again, writes work"
rm -f ../filler
run crm contact add "Ion Pop" --email ion@example.ro
expect_rc 0
expect_err ""
run crm contact list --format ids
expect_eq "two contacts" 2 "$(wc -l <<<"${out%$'\n'}")"

finish
