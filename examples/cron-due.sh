#!/usr/bin/env bash
# Mails what needs attention today, from cron. crm computes reminders when it
# runs; nothing is scheduled, so this script is all the "server" there is.
#
#   crontab -e
#   30 7 * * 1-5  CRM_WORKSPACE=$HOME/clients $HOME/bin/cron-due.sh you@example.org
#
# Needs a working `mail` (bsd-mailx or mailutils). Exits 0 when nothing is due.
set -euo pipefail
to=${1:?usage: cron-due.sh ADDRESS}
crm=${CRM:-crm}

# crm due: exit 0 when something is due, 1 when nothing is, anything else an error.
status=0
list=$("$crm" due --upcoming 3d --format table --no-color) || status=$?
case $status in
  0) ;;
  1) exit 0 ;;
  *) echo "cron-due: crm due failed with status $status" >&2; exit "$status" ;;
esac

# The calendar file goes along, so a phone's calendar can show the same items.
ics=$(mktemp "${TMPDIR:-/tmp}/crm-due.XXXXXX.ics")
trap 'rm -f "$ics"' EXIT
"$crm" due --upcoming 3d --format ics >"$ics" || true

printf 'Due today (%s):\n\n%s\n' "$(date +%F)" "$list" |
  mail -s "crm: due today" -A "$ics" "$to"
