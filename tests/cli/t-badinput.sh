#!/usr/bin/env bash
# A corpus of bad input across every reader: CSV, vCard, record files, config.yaml,
# rates.yaml, filters, search, REFs, WHEN dates and amounts. Each one gets its
# documented exit code and error (the first line of stderr is checked), and the
# workspace is byte for byte unchanged. Limits: README, "Limits".
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

new_ws ws
cd ws || exit 2
ana=$(crm contact add "Ana Popescu" --email ana@example.ro)
crm contact add "Ana Pop" --email pop@example.ro >/dev/null
crm sale record "$ana" --item "Audit @ 40" >/dev/null
in=$_LIB/in # inputs live outside the workspace
mkdir -p "$in"
cases=0

# bad RC FIRST_LINE_OF_STDERR CMD...: the command fails with RC, says FIRST_LINE
# (a prefix: everything after it on that line is free), and writes nothing.
bad() {
  local rc=$1 first=$2
  shift 2
  cases=$((cases + 1))
  snapshot .
  run crm "$@"
  expect_rc "$rc"
  # shellcheck disable=SC2016 # a sed expression, not the shell's
  expect_match "first line of stderr of: crm $*" "$(printf '%s' "$first" | sed 's/[][\.*^$()+?{}|/]/\\&/g').*" \
    "$(head -1 <<<"$err")"
  expect_unchanged .
}

# ---------------------------------------------------------------- CSV
t "CSV: bad files and bad rows are exit 3 with row and column, nothing imported"
printf 'name,email\nAna\xff,a@x.ro\n' >"$in/utf8.csv"
bad 3 "crm: $in/utf8.csv: row 2 column 1: invalid UTF-8" import csv "$in/utf8.csv"
printf 'name,email\nAna\0Pop,a@x.ro\n' >"$in/nul.csv"
bad 3 "crm: $in/nul.csv: row 2 column 1: a NUL byte in the text" import csv "$in/nul.csv"
printf 'name,email\n"Ana,a@x.ro\n' >"$in/quote.csv"
bad 3 "crm: $in/quote.csv: row 2 column 1: unterminated quoted field" import csv "$in/quote.csv"
printf 'name,email\nAna,a@x.ro,extra\n' >"$in/cols.csv"
bad 3 "crm: $in/cols.csv: row 2 column 3: 3 columns, the header has 2" import csv "$in/cols.csv"
awk 'BEGIN { printf "c0"; for (i = 1; i < 100000; i++) printf ",c%d", i; print "" }' >"$in/wide.csv"
bad 3 "crm: $in/wide.csv: row 1 column 4097: more than 4096 columns" import csv "$in/wide.csv"
{ printf 'name,notes\nAna,'; head -c 1100000 /dev/zero | tr '\0' 'x'; printf '\n'; } >"$in/cell.csv"
bad 3 "crm: $in/cell.csv: row 2 column 2: a cell longer than 1 MiB" import csv "$in/cell.csv"
bad 3 "crm: /dev/zero: row 1 column 1: a cell longer than 1 MiB" import csv /dev/zero
printf 'name,email\nAna,not-an-email\n' >"$in/email.csv"
bad 3 "crm: $in/email.csv: row 2: bad email 'not-an-email'" import csv "$in/email.csv"
printf 'name,email\nAna,a@@x.ro\n' >"$in/email2.csv"
bad 3 "crm: $in/email2.csv: row 2: bad email 'a@@x.ro'" import csv "$in/email2.csv"
printf 'name,birthday\nAna,2026-02-30\n' >"$in/date.csv"
bad 3 "crm: $in/date.csv: row 2: column 'birthday': bad date '2026-02-30'" import csv "$in/date.csv"
: >"$in/empty.csv"
bad 3 "crm: $in/empty.csv: empty file" import csv "$in/empty.csv"
printf 'name,email\n,\n' >"$in/noname.csv"
bad 3 "crm: $in/noname.csv: row 2: no name" import csv "$in/noname.csv"
printf 'id,name\n../x,Evil\n' >"$in/id.csv"
bad 3 "crm: $in/id.csv: row 2: " import csv "$in/id.csv"
printf 'id,name\na/b,Evil\n' >"$in/id2.csv"
bad 3 "crm: $in/id2.csv: row 2: " import csv "$in/id2.csv"
printf 'customer,date,product,quantity,price\nana@example.ro,2026-11-20,Audit,1,1e9999\n' >"$in/huge.csv"
bad 3 "crm: $in/huge.csv: row 2: " import csv "$in/huge.csv" --type sales
printf 'customer,date,product,quantity,price\nana@example.ro,2026-11-20,Audit,1,12,5\n' >"$in/comma.csv"
bad 3 "crm: $in/comma.csv: row 2 column 6: 6 columns, the header has 5" import csv "$in/comma.csv" --type sales
printf 'customer,date,product,quantity,price\nana@example.ro,2026-13-01,Audit,1,10\n' >"$in/month.csv"
bad 3 "crm: $in/month.csv: row 2: " import csv "$in/month.csv" --type sales
printf 'customer,date,product,quantity,price\nnobody@example.ro,2026-11-20,Audit,1,10\n' >"$in/nobody.csv"
bad 3 "crm: $in/nobody.csv: row 2: " import csv "$in/nobody.csv" --type sales
printf '\xff\xfe\0\xd8A\0' >"$in/utf16.csv"
bad 3 "crm: $in/utf16.csv: " import csv "$in/utf16.csv"
bad 2 "crm: unknown encoding 'KLINGON-8'" import csv "$in/email.csv" --encoding KLINGON-8
bad 2 "crm: bad --delimiter ''" import csv "$in/email.csv" --delimiter ''
bad 2 "crm: cannot open '$in/missing.csv': No such file or directory" import csv "$in/missing.csv"
bad 2 "crm: --map 'nosuch': no such column in the header" import csv "$in/email.csv" --map nosuch=city

# ---------------------------------------------------------------- vCard
t "vCard: bad cards are exit 3 with FILE:LINE, nothing imported"
: >"$in/empty.vcf"
bad 3 "crm: $in/empty.vcf: no vCard in the file" import vcard "$in/empty.vcf"
printf 'BEGIN:VCARD\nVERSION:3.0\nFN:Ana\n' >"$in/noend.vcf"
bad 3 "crm: $in/noend.vcf:1: card has no END:VCARD" import vcard "$in/noend.vcf"
printf 'hello\nBEGIN:VCARD\nFN:Ana\nEND:VCARD\n' >"$in/junk.vcf"
bad 3 "crm: $in/junk.vcf:1: expected BEGIN:VCARD, found 'hello'" import vcard "$in/junk.vcf"
printf 'BEGIN:VCARD\nVERSION:3.0\nEMAIL:a@x.ro\nNOTE:nobody\nEND:VCARD\n' >"$in/noname.vcf"
printf 'BEGIN:VCARD\nVERSION:3.0\nNOTE:nobody\nEND:VCARD\n' >"$in/noname.vcf"
bad 3 "crm: $in/noname.vcf:1: card has no name" import vcard "$in/noname.vcf"
{ printf 'BEGIN:VCARD\nVERSION:3.0\nFN:Ana\nNOTE:'; head -c 17000000 /dev/zero | tr '\0' 'n'; printf '\nEND:VCARD\n'; } >"$in/line.vcf"
bad 3 "crm: $in/line.vcf:4: a line longer than 16 MiB" import vcard "$in/line.vcf"
bad 3 "crm: /dev/zero:1: a line longer than 16 MiB" import vcard /dev/zero
printf '\xfe\xff\0B\0E\xd8' >"$in/utf16.vcf"
bad 3 "crm: $in/utf16.vcf:1: the file looks like UTF-16BE but is not valid UTF-16BE" import vcard "$in/utf16.vcf"
{ printf 'BEGIN:VCARD\nVERSION:3.0\nFN:Ana\n'; for i in $(seq 1 20000); do printf 'NOTE:note number %d with some text to make the card big\n' "$i"; done; printf 'END:VCARD\n'; } >"$in/big.vcf"
bad 3 "crm: $in/big.vcf:1: contact '" import vcard "$in/big.vcf"

# ---------------------------------------------------------------- record files
# plant FILE TEXT: a record file as a colleague's push could bring it; the command
# that reads it says FILE:LINE, the others keep working. Removed after each case.
plant() { printf '%s' "$2" >"$1"; }
recfile() {
  local file=$1 text=$2 line=$3
  cases=$((cases + 1))
  plant "$file" "$text"
  snapshot .
  run crm contact list --format ids
  expect_rc 0
  local at="$file:$line"
  if [[ $line == 0 ]]; then at=$file; fi
  expect_match "the warning for $file" "warning: skipping $at: .*" "$(head -1 <<<"$err")"
  expect_out_contains "$ana"
  run crm doctor
  expect_rc 1
  expect_out_contains "$file"
  expect_unchanged .
  rm -f "$file"
}

t "record files: broken, hostile and over-limit files are skipped with FILE:LINE, the rest works"
bomb='id: bomb
name: Bomb
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
'
recfile contacts/bomb.yaml "$bomb" 3
recfile contacts/anchor.yaml $'id: anchor\nname: &n Anchor\n' 2
recfile contacts/alias.yaml $'id: alias\nname: A\nnotes: *nothing\n' 3
recfile contacts/tag.yaml $'id: tag\nname: !!binary QQ==\n' 2
recfile contacts/deep.yaml "id: deep
name: Deep
x: $(printf '[%.0s' $(seq 17))1$(printf ']%.0s' $(seq 17))
" 3
recfile contacts/deeper.yaml "id: deeper
name: Deeper
x: $(printf '[%.0s' $(seq 9000))1$(printf ']%.0s' $(seq 9000))
" 3
recfile contacts/longline.yaml "id: longline
name: $(head -c 140000 /dev/zero | tr '\0' 'l')
" 2
recfile contacts/bigfile.yaml "id: bigfile
name: Big
notes: |
$(for i in $(seq 1 1100); do printf '  %01000d\n' 0; done)
" 0
recfile contacts/utf8.yaml $'id: utf8\nname: Bad\xff\n' 2
recfile contacts/noid.yaml $'name: No Id\n' 0
recfile contacts/mismatch.yaml $'id: other\nname: Other\n' 1
recfile contacts/dupkey.yaml $'id: dupkey\nname: A\nname: B\n' 3
recfile contacts/notmap.yaml $'- a\n- b\n' 1
recfile contacts/unclosed.yaml $'id: unclosed\nname: "Ana\ncity: Cluj\n' 3
recfile contacts/syntax.yaml $'id: syntax\nname: [a, b\n' 3

t "record files: 'show' of a broken record is exit 3 with FILE:LINE"
plant contacts/shown.yaml $'id: shown\nname: &n Shown\n'
snapshot .
run crm contact show shown
expect_rc 1
expect_match "first line" "warning: skipping contacts/shown.yaml:2: .*" "$(head -1 <<<"$err")"
expect_unchanged .
rm -f contacts/shown.yaml
cases=$((cases + 1))

# ---------------------------------------------------------------- config and rates
t "config.yaml and rates.yaml: a bad setting is exit 3 with FILE:LINE for every command"
cp .crm/config.yaml "$_LIB/config.yaml"
badconfig() {
  local text=$1 first=$2
  printf '%s' "$text" >.crm/config.yaml
  bad 3 "$first" contact list
  cp "$_LIB/config.yaml" .crm/config.yaml
}
badconfig $'currency: EURO\n' "crm: $TEST_ROOT/ws/.crm/config.yaml:1: bad currency 'EURO'"
badconfig $'currency: [EUR\n' "crm: $TEST_ROOT/ws/.crm/config.yaml:"
badconfig $'stages: []\n' "crm: $TEST_ROOT/ws/.crm/config.yaml:1: "
badconfig $'index:\n  verify: sometimes\n' "crm: $TEST_ROOT/ws/.crm/config.yaml:2: "
badconfig $'deals:\n  stages: {lead: 150}\n' "crm: $TEST_ROOT/ws/.crm/config.yaml:2: "
badconfig $'rfm:\n  a: many\n' "crm: $TEST_ROOT/ws/.crm/config.yaml:2: "
# A config.yaml from a shared remote is read under a record file's limits.
badconfig $'currency: &c EUR\n' "crm: $TEST_ROOT/ws/.crm/config.yaml:1: a YAML anchor (&): crm writes none, and reads none in config.yaml"
badconfig "${bomb#*$'\n'name: Bomb$'\n'}" "crm: $TEST_ROOT/ws/.crm/config.yaml:1: a YAML anchor (&): crm writes none, and reads none in config.yaml"
badconfig "$(printf 'x%.0s' $(seq 140000))" "crm: $TEST_ROOT/ws/.crm/config.yaml:1: a line longer than 128 KiB, the most config.yaml's line may hold"
printf 'USD: &u\n  2026-11-01: 1.1\nGBP: *u\n' >rates.yaml
bad 3 "crm: rates.yaml:1: a YAML anchor (&): crm writes none, and reads none in rates.yaml" report revenue
printf 'USD:\n  2026-11-01: abc\n' >rates.yaml
bad 3 "crm: rates.yaml:2: " report revenue
printf 'USD:\n  2026-02-30: 1.1\n' >rates.yaml
bad 3 "crm: rates.yaml:2: " report revenue
printf 'USD:\n  2026-11-01: 1e9999\n' >rates.yaml
bad 3 "crm: rates.yaml:2: " report revenue
printf -- '- just a list\n' >rates.yaml
bad 3 "crm: rates.yaml:1: " report revenue
rm -f rates.yaml

# ---------------------------------------------------------------- filters and search
t "filters: bad filters are exit 3 with the column, SQL and FTS syntax is data"
bad 3 "crm: bad filter at column 4: unexpected ';' (a filter is one expression)" contact list --where "vip; DROP TABLE contacts; --"
bad 3 "crm: bad filter at column 257: nested more than 64 levels deep" contact list --where "$(printf 'not %.0s' $(seq 8000))vip"
bad 3 "crm: bad filter at column 65: nested more than 64 levels deep" contact list --where "$(printf '(%.0s' $(seq 8000))vip"
bad 3 "crm: bad filter at column 1939: more than 256 terms" contact list --where "t0$(for i in $(seq 1 300); do printf ' or t%d' "$i"; done)"
bad 3 "crm: bad filter at column 8: unterminated string" contact list --where 'name = "Ana'
bad 3 "crm: bad filter at column 1: expected '!='" contact list --where '!vip'
bad 3 "crm: bad filter at column 1: " contact list --where 'nosuchfield = 1'
bad 3 "crm: bad filter at column 12: birthday is a date; expected a date" contact list --where 'birthday > 2026-02-30'
bad 3 "crm: bad filter at column 11: revenue is an amount of money; expected a number, found '1e9999'" contact list --where "revenue > 1e9999"
bad 3 "crm: bad filter at column 4: unexpected control character" contact list --where $'vip\x01'
bad 3 "crm: bad filter at column 1: expected a field, a tag or '(', found the end" contact list --where ''
cases=$((cases + 1))
snapshot .
run crm contact list --where "name = \"x' OR '1'='1\"" --format ids
expect_rc 1
expect_out ""
expect_unchanged .
for q in '"' 'NEAR(a b)' 'a*' 'ana OR 1=1' "'; DROP TABLE search; --" '^' '(' 'AND'; do
  cases=$((cases + 1))
  snapshot .
  run crm search "$q" --format ids
  # Found, not found, or (punctuation alone) nothing to search for: never an
  # index error.
  expect_match "search exit code for $q" "[012]" "$rc"
  if [[ $rc == 2 ]]; then
    expect_eq "search stderr for $q" "crm: nothing to search for
hint: give a word or more: crm search popescu" "${err%$'\n'}"
  else
    expect_eq "search stderr for $q" "" "$err"
  fi
  expect_unchanged .
done

# ---------------------------------------------------------------- REFs, WHEN, amounts
t "REFs, dates and amounts: each has its exit code and names the value"
bad 1 "crm: no contact matches '../etc/passwd'" contact show ../etc/passwd
bad 1 "crm: no contact matches 'nobody'" contact show nobody
bad 4 "crm: 'Ana' matches 2 contacts" contact set Ana city=Cluj
bad 2 "crm: empty contact reference" contact show ''
bad 1 "crm: no contact matches '$(head -c 5000 /dev/zero | tr '\0' a)'" contact show "$(head -c 5000 /dev/zero | tr '\0' a)"
bad 3 "crm: bad --due '2026-02-30'" followup add "$ana" -m x --due 2026-02-30
bad 3 "crm: " followup add "$ana" -m x --due 'tomorrow+'
bad 3 "crm: " followup add "$ana" -m x --due '+1e9999d'
bad 3 "crm: " followup add "$ana" -m x --due '25:00'
bad 3 "crm: " log call "$ana" -m x --at 2026-11-31T10:00
bad 3 "crm: bad price '1e9999'" sale record "$ana" --item "Audit @ 1e9999"
bad 3 "crm: bad price '12,5' in --item 'Audit' (use a dot as decimal separator: 12.5)" sale record "$ana" --item "Audit @ 12,5"
bad 3 "crm: bad price 'abc'" sale record "$ana" --item "Audit @ abc"
bad 3 "crm: " sale record "$ana" --item "Audit @ 99999999999999999999999"
bad 3 "crm: " sale record "$ana" --item "Audit @ 1.234"
bad 3 "crm: " sale record "$ana" --item "Audit x -2 @ 10"
bad 3 "crm: " sale record "$ana" --item "Audit @ 10" --discount 150%
bad 2 "crm: " sale record "$ana" --item "Audit @ 10" --currency EURO
bad 3 "crm: bad email" contact set "$ana" email=not-an-email
bad 3 "crm: " contact set "$ana" birthday=2026-02-30
bad 3 "crm: " contact set "$ana" stage=client
bad 3 "crm: invalid UTF-8" contact add "$(printf 'Ana\xff')"

t "the corpus holds at least 80 bad inputs"
expect_true "cases: $cases" test "$cases" -ge 80
figures "bad input: $cases bad inputs, each with its exit code and first error line, the workspace unchanged"

finish
