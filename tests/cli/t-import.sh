#!/usr/bin/env bash
# crm import csv|vcard|list|undo: upserts (a second run changes nothing), dry
# runs that write nothing, every bad row reported (and in --rejects), abort
# leaving the workspace as it was, undo, and the real exports of Google, Outlook,
# Thunderbird and phones importing with the right names, emails and phones.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$here/lib.sh"

real=$FIXTURES/real
data=$FIXTURES/import
export CRM_NOW=2026-11-25T10:00:00+02:00

# batch_of: the batch id in an "import BATCH: ..." line.
batch_of() { sed -n 's/^import \([0-9a-z-]*\): .*/\1/p' <<<"$out"; }

new_ws ws
cd ws || exit 2

t "dry run: one line per record it would create, a summary, nothing written"
snapshot .
run crm import csv "$data/clients.csv" --dry-run
expect_rc 0
expect_err ""
expect_out <<'EOF'
create contact Ana Popescu
create contact Олена Шевченко
create contact Gwenllian Jones
create contact مریم احمدی
dry run: 4 created, 0 updated, 0 unchanged, 0 rejected (1 new company)
EOF
expect_unchanged .

t "import: BOM, CRLF, quoted commas, quotes and newlines; First+Last Name; a company made once"
run crm import csv "$data/clients.csv"
expect_rc 0
expect_err ""
expect_out_match 'import [0-9]{8}-[0-9]{6}-[a-z0-9]{4}: 4 created, 0 updated, 0 unchanged, 0 rejected \(1 new company\)'
first_batch=$(batch_of)
run crm contact list --fields name,given_name,family_name,emails,phones,title --sort name --format tsv
expect_out <<'EOF'
name	given_name	family_name	emails	phones	title
Ana Popescu	Ana	Popescu	ana@example.ro	0722 123 456	CEO
Gwenllian Jones	Gwenllian	Jones	gwen@example.cymru		
Олена Шевченко	Олена	Шевченко	olena@example.ua	+380 44 123 4567	
مریم احمدی	مریم	احمدی	maryam@example.ir		
EOF
run crm contact show "Ana Popescu" --format json
expect_out_contains '"notes": "Met at the fair, \"very\" keen"'
expect_out_contains '"e164": "+40722123456"'
expect_out_contains '"label": "mobile"'
run crm company list --fields name --format tsv
expect_out "$(printf 'name\nAcme SRL')"
run crm contact list --where 'company = "Acme SRL"' --format ids
expect_eq "two contacts at Acme" 2 "$(wc -l <<<"${out%$'\n'}")"

t "the same import again is a no-op: nothing written, no batch"
snapshot .
run crm import csv "$data/clients.csv"
expect_rc 0
expect_out "nothing to import: 0 created, 0 updated, 4 unchanged, 0 rejected"
expect_unchanged .

t "a changed row updates only what changed, and says which fields"
printf 'Email,Job Title,City\nANA@EXAMPLE.RO,Director,Cluj-Napoca\nolena@example.ua,,\n' >change.csv
run crm -v import csv change.csv
expect_rc 0
expect_out_match "update contact Ana Popescu \(ana-popescu-[a-z0-9]{4}\): title, city
unchanged contact Олена Шевченко \(олена-шевченко-[a-z0-9]{4}\)
import [0-9a-z-]+: 0 created, 1 updated, 1 unchanged, 0 rejected"
change_batch=$(sed -n 's/^import \([0-9a-z-]*\): .*/\1/p' <<<"$out")
run crm contact show "Ana Popescu" --format json
expect_out_contains '"title": "Director"'
expect_out_contains '"city": "Cluj-Napoca"'

t "import list shows the batches with what they did"
run crm import list --format tsv
expect_rc 0
expect_out_match "batch	at	source	type	created	updated	status
$first_batch	[0-9T:+-]+	[^	]*clients.csv	contacts	5	0	done
$change_batch	[0-9T:+-]+	change.csv	contacts	0	1	done"

t "undo puts back what a batch changed"
run crm import undo "$change_batch"
expect_rc 0
expect_out "undid import $change_batch: 0 removed, 1 restored"
run crm contact show "Ana Popescu" --format json
expect_out_contains '"title": "CEO"'
expect_out_lacks 'Cluj-Napoca'
run crm import undo "$change_batch"
expect_rc 4
expect_err_match "crm: import '$change_batch' was undone already \(.*\)"

t "undo refuses when a record changed since, unless --force"
crm contact set "Gwenllian Jones" title=Editor >/dev/null
run crm import undo "$first_batch"
expect_rc 4
expect_err_match "crm: 1 file changed since import '$first_batch'
hint: changed since the import:
hint:   contacts/gwenllian-jones-[a-z0-9]{4}.yaml
hint: 'crm import undo $first_batch --force' reverts them anyway \(their later changes are lost\)"
run crm contact list --format ids
expect_eq "still four contacts" 4 "$(wc -l <<<"${out%$'\n'}")"
run crm import undo "$first_batch" --force
expect_rc 0
expect_out "undid import $first_batch: 5 removed, 0 restored"
run crm contact list --format ids
expect_rc 1
run crm company list --format ids
expect_rc 1
run crm import undo nope
expect_rc 1
expect_err "crm: no import batch 'nope'
hint: 'crm import list' shows the batches"

cd .. || exit 2
new_ws gen
cd gen || exit 2
python3 "$here/import_data.py" generated.csv 40 >bad-rows.txt

t "generated set: abort (the default) stops at the first bad row and writes nothing"
snapshot .
run crm import csv generated.csv
expect_rc 3
expect_err "crm: generated.csv: row 47 column 5: invalid UTF-8
hint: nothing was imported; --on-error skip (or --rejects FILE) imports the other rows"
expect_out ""
expect_unchanged .

t "generated set: --rejects reports every bad row on stderr and in the file, imports the rest"
run crm import csv generated.csv --rejects rejects.csv
expect_rc 3
expect_err "crm: generated.csv: row 47 column 5: invalid UTF-8
crm: generated.csv: row 48 column 9: 9 columns, the header has 8
crm: generated.csv: row 49: bad email 'bad(at)example.org'
crm: generated.csv: row 50: column 'Birthday': bad date '1990-02-30'
crm: generated.csv: row 51: no name"
expect_out_match 'import [0-9a-z-]+: 42 created, 1 updated, 2 unchanged, 5 rejected \(1 new company\)'
expect_eq "bad rows planted by the generator" "$(printf '47\tinvalid UTF-8\n48\tcolumn count\n49\tbad email\n50\tbad date\n51\tno name')" "$(cat bad-rows.txt)"
expect_eq "rejects file: header + reason column, then each row as read with its reason" \
  "$(printf 'Name,E-mail Address,Mobile Phone,Company,City,Country,Tags,Birthday,reject_reason\nBad Utf8,bad.utf8@example.org,,,Cluj\xff,,,,row 47 column 5: invalid UTF-8\nToo Many,too.many@example.org,,,,,,,extra,"row 48 column 9: 9 columns, the header has 8"\nBad Email,bad(at)example.org,,,,,,,row 49: bad email '"'"'bad(at)example.org'"'"'\nBad Date,bad.date@example.org,,,,,,1990-02-30,row 50: column '"'"'Birthday'"'"': bad date '"'"'1990-02-30'"'"'\n,,,,Iași,,,,row 51: no name')" \
  "$(cat rejects.csv)"

t "generated set: the same person on several rows is one contact (email case, phone format, folded name)"
run crm contact list --where 'email = "p000@example.org"' --fields name,tags --format tsv
expect_out "$(printf 'name\ttags\nAna Popescu 000\tvip, newsletter')"
run crm contact list --where 'name ~ "Ion Popescu 001"' --fields name,phones,city --format tsv
expect_out "$(printf 'name\tphones\tcity\nIon Popescu 001\t+40 722 001 001\tКиїв')"
run crm contact list --where 'name ~ "popescu 005"' --format ids
expect_eq "one Ștefan Popescu 005" 1 "$(wc -l <<<"${out%$'\n'}")"

t "generated set: the near-duplicate names are found by contact dupes"
run crm contact dupes --format tsv
expect_rc 0
expect_out_contains "Ioana Marinescu"
expect_out_contains "Ioana Marinescv"

t "generated set: a second run changes nothing"
snapshot .
run crm import csv generated.csv --on-error skip
expect_rc 3
expect_out "nothing to import: 0 created, 0 updated, 45 unchanged, 5 rejected"
expect_unchanged .

t "a run killed half way, run again, ends as one clean run would"
cd .. || exit 2
new_ws killed
new_ws clean
head -31 gen/generated.csv >half.csv
crm -C killed import csv half.csv >/dev/null
# What a kill leaves: a journal with no end line, the files written so far.
sed -i '$d' killed/.crm/imports/*.jsonl
crm -C killed import csv gen/generated.csv --on-error skip >/dev/null 2>&1
crm -C clean import csv gen/generated.csv --on-error skip >/dev/null 2>&1
view() { crm -C "$1" contact list --fields name,emails,phones,company.name,city,country,tags,birthday --format tsv; }
expect_eq "same contacts" "$(view clean)" "$(view killed)"
expect_eq "the view shows the 42 contacts and its header" 43 "$(view clean | wc -l)"
run crm -C killed import list --format tsv
expect_match "the killed batch is listed as incomplete" "batch	at	source	type	created	updated	status
[0-9a-z-]+	[^	]+	half.csv	contacts	31	0	incomplete
[0-9a-z-]+	[^	]+	gen/generated.csv	contacts	12	1	done" "${out%$'\n'}"

t "sales and activities: created once (a second run finds them by their row key)"
new_ws events --currency EUR
crm -C events contact add "Ana Popescu" --email ana@example.ro >/dev/null
printf 'customer,date,product,quantity,price,paid by\nana@example.ro,2026-11-20,Audit,2,40.00,card\nAna Popescu,2026-11-21,Report,1,15.50,cash\n' >sales.csv
run crm -C events import csv sales.csv --type sales
expect_rc 0
expect_out_match 'import [0-9a-z-]+: 2 created, 0 updated, 0 unchanged, 0 rejected'
run crm -C events sale list --fields at,contact_name,total,currency,paid_by --format tsv
expect_out "$(printf 'at\tcontact_name\ttotal\tcurrency\tpaid_by\n2026-11-21T12:00:00+02:00\tAna Popescu\t15.50\tEUR\tcash\n2026-11-20T12:00:00+02:00\tAna Popescu\t80.00\tEUR\tcard')"
run crm -C events import csv sales.csv --type sales
expect_out "nothing to import: 0 created, 0 updated, 2 unchanged, 0 rejected"
printf 'contact,type,date,subject,direction\nana@example.ro,call,2026-11-22T09:30+02:00,asked for a quote,in\n' >calls.csv
run crm -C events import csv calls.csv --type activities
expect_rc 0
run crm -C events activity list --fields at,kind,direction,contact_name,summary --format tsv
# (her first sale made her a customer: a stage change dated by that sale)
expect_out "$(printf 'at\tkind\tdirection\tcontact_name\tsummary\n2026-11-22T09:30:00+02:00\tcall\tin\tAna Popescu\tasked for a quote\n2026-11-20T12:00:00+02:00\tstage\t\tAna Popescu\tstage: customer')"
run crm -C events import csv calls.csv --type activities
expect_out "nothing to import: 0 created, 0 updated, 1 unchanged, 0 rejected"
printf 'contact,date,colour\nana@example.ro,2026-11-20,red\n' >odd.csv
run crm -C events import csv odd.csv --type sales
expect_rc 2
expect_err "crm: column 'colour' is no sale field
hint: map it with --map 'colour=FIELD' or --map 'colour=custom.colour', or leave it out with --map 'colour=skip'"
printf 'contact,date,product,price,colour\nana@example.ro,2026-11-23,Audit,10.00,red\n' >colour.csv
run crm -C events import csv colour.csv --type sales --map colour=custom.colour
expect_rc 0
run crm -C events sale list --where 'custom.colour = "red"' --fields contact_name,total,custom.colour --format tsv
expect_out "$(printf 'contact_name\ttotal\tcustom.colour\nAna Popescu\t10.00\tred')"
printf 'contact,date,product,price\nnobody@example.ro,2026-11-20,Audit,10.00\n' >nobody.csv
run crm -C events import csv nobody.csv --type sales
expect_rc 3
expect_err_match "crm: nobody.csv: row 2: .*nobody@example.ro.*
hint: .*"

t "a progress bar on stderr for a large file on a terminal, none on a pipe"
new_ws big
python3 -c '
import sys
with open("big.csv", "w") as f:
    f.write("name,email,notes\n")
    pad = "x" * 400
    for i in range(3000):
        f.write(f"Person {i},p{i}@example.org,{pad}\n")'
run_tty 100 crm -C big import csv "$PWD/big.csv"
expect_rc 0
expect_out_contains "importing [##############################] 100%"
expect_out_contains "$(printf '\r\033[K')import "
expect_out_contains ": 3000 created, 0 updated, 0 unchanged, 0 rejected"
run crm -C big import csv "$PWD/big.csv"
expect_err ""
expect_out "nothing to import: 0 created, 0 updated, 3000 unchanged, 0 rejected"

t "bad command lines: unknown type, preset, map column or field; bad delimiter"
cd gen || exit 2
run crm import csv generated.csv --type products
expect_rc 2
expect_err "crm: cannot import 'products'
hint: --type contacts, companies, sales or activities"
run crm import csv generated.csv --preset excel
expect_rc 2
expect_err "crm: unknown preset 'excel'
hint: presets: google, outlook, thunderbird, yahoo, wab (Windows Contacts)"
run crm import csv generated.csv --map 'Nope=title'
expect_rc 2
expect_err_contains "crm: --map 'Nope': no such column in the header"
run crm import csv generated.csv --map 'City=citty'
expect_rc 2
expect_err "crm: --map 'City': 'citty' is not a contact field
hint: did you mean 'city'?"
run crm import csv generated.csv --delimiter ab
expect_rc 2
expect_err "crm: bad --delimiter 'ab'
hint: one character, or 'tab'"
run crm import csv missing.csv
expect_rc 2
expect_err "crm: cannot open 'missing.csv': No such file or directory"
run crm import csv generated.csv --delimiter ''
expect_rc 2
expect_err "crm: bad --delimiter ''
hint: one character, or 'tab'"

t "--map renames a column and skips another; ; and tab files are sniffed; stdin works"
cd .. || exit 2
new_ws mapped
cd mapped || exit 2
printf 'Cell;Who;Ignore me\n0723 000 111;Dafydd Evans;x\n' >semi.csv
run crm import csv semi.csv --map 'Cell=phone' --map 'Who=name' --map 'Ignore me=skip'
expect_rc 0
run crm contact list --fields name,phones,custom --format tsv
expect_out "$(printf 'name\tphones\tcustom\nDafydd Evans\t0723 000 111\t')"
printf 'name\temail\tVAT id\nТарас Коваль\ttaras@example.ua\tUA123\n' | crm import csv - >/dev/null
run crm contact show "Тарас Коваль" --format json
expect_out_contains '"vat_id": "UA123"'
expect_out_contains '"address": "taras@example.ua"'

t "unterminated quote: the error names the row and column and nothing is written"
printf 'name,email\n"Open quote,a@b.ro\nNext,c@d.ro\n' >open.csv
snapshot .
run crm import csv open.csv
expect_rc 3
expect_err_match "crm: open.csv: row 2 column 1: unterminated quoted field
hint: .*"
expect_unchanged .

cd .. || exit 2
new_ws real
cd real || exit 2

t "real Google CSV (UTF-8 and the original UTF-16LE): name, labelled emails, words in phone columns kept"
run crm import csv "$real/roundcube-gmail.csv"
expect_rc 0
expect_err_contains "row 2: 'pager' in column 'Phone 1 - Value' is not a phone number: kept as custom.phone_1_value"
run crm contact show "Prefix Firstname Middle Lastname Suffix" --format json
expect_out_contains '"given_name": "Firstname"'
expect_out_contains '"family_name": "Lastname"'
expect_out_contains "$(printf '"emails": [\n    {\n      "address": "home@aaa.pl",\n      "label": "home"\n    },\n    {\n      "address": "work@email.pl",\n      "label": "work"\n    },\n    {\n      "address": "unknown@email.com"\n    },\n    {\n      "address": "other@email.com",\n      "label": "other"\n    }\n  ]')"
expect_out_contains '"birthday": "1975-12-12"'
expect_out_contains '"title": "jobtitle"'
expect_out_contains '"tags": [
    "test"
  ]'
expect_out_contains '"phone_1_value": "pager"'
run crm import csv "$real/roundcube-gmail-utf16le-original.csv"
expect_out "nothing to import: 0 created, 0 updated, 1 unchanged, 0 rejected"

t "real Outlook CSVs (English and German): names, emails, phones; honorific Title apart"
run crm import csv "$real/horde-Outlook.csv"
expect_rc 0
run crm import csv "$real/roundcube-outlook.csv"
expect_rc 0
run crm import csv "$real/tine20-importtest_outlook2013.csv" --encoding windows-1252
expect_rc 0
rows_of() { crm contact list --where "$1" --fields name,emails,phones,title,city,country --format tsv | sed 1d; }
expect_eq "horde Outlook" "$(printf 'Firman Wandayandi\tfirman@php.net\t99999999, 999999999\tWeb Developer\tBandung\tID')" "$(rows_of 'email = "firman@php.net"')"
expect_eq "Outlook with only e-mail columns: named by the first" "$(printf 'test1@domain.tld\ttest1@domain.tld, test2@domain.tld, test3@domain.tld\t\t\t\t')" "$(rows_of 'email = "test2@domain.tld"')"
expect_eq "German Outlook 2013 (windows-1252)" "$(printf 'Christian Baumann\tc.baumann@unittest.de\t+49 (0) 40 6432131-550\tVertrieb\tHamburg\tDE\nCornelius Weiß\tc.weiss@unittest.de\t040 6432131545, 0176 164321545\tSoftwareengineering\t\t')" "$(rows_of 'email ~ "@unittest.de"')"

t "real Thunderbird CSVs: Display Name, Primary/Secondary Email, Shift_JIS"
run crm import csv "$real/roundcube-tb_plain.csv"
expect_rc 0
run crm import csv "$real/thunderbird-quote.csv"
expect_rc 0
run crm import csv "$real/thunderbird-shiftjis_addressbook.csv" --encoding shift_jis
expect_rc 0
expect_eq "Thunderbird plain" "$(printf 'Displayname\ttest@domain.tld, next@domain.tld\t\ttitle\tCity\tUS')" "$(rows_of 'email = "next@domain.tld"')"
expect_eq "Thunderbird Shift_JIS" "$(printf '名無しの権兵衛\t名無しの権兵衛@host.invalid\t\t\t\t')" "$(rows_of 'name = "名無しの権兵衛"')"

t "real Thunderbird CSV without a header line: read in Thunderbird's column order, with a warning"
cd .. || exit 2
new_ws headerless
cd headerless || exit 2
run crm import csv "$real/horde-Thunderbird.csv"
expect_rc 0
expect_err "warning: $real/horde-Thunderbird.csv: no header line: read in the column order of a Thunderbird export (First Name, Last Name, Display Name, ...)"
expect_eq "horde Thunderbird" "$(printf 'Firman Wandayandi\tfirman@php.net\t99999999, 999999999\tWeb Developer\tBandung\t')" "$(rows_of 'email = "firman@php.net"')"
run crm contact show firman@php.net --format json
expect_out_contains '"given_name": "Firman"'
expect_out_contains '"notes": "It'"'"'s a notes."'
expect_out_contains '"web_page_2": "http://php.hm/~firman"'
run crm import csv "$real/horde-Thunderbird.csv"
expect_out "nothing to import: 0 created, 0 updated, 1 unchanged, 0 rejected"

t "real CSVs: Roundcube's Email Home/Work/Other, old Gmail's numbered sections; a row with no name is rejected"
run crm import csv "$real/roundcube-all.csv"
expect_rc 0
run crm import csv "$real/horde-Gmail.csv"
expect_rc 0
expect_out_match 'import [0-9a-z-]+: 2 created, 0 updated, 0 unchanged, 0 rejected \(1 new company\)'
expect_eq "Roundcube, every column" "$(printf 'Display Name\thome@example.com, work@example.com, other@example.com\t\tJob Title\tHome City\t')" "$(rows_of 'name = "Display Name"')"
run crm contact show home@example.com --format json
expect_out_contains "$(printf '"emails": [\n    {\n      "address": "home@example.com",\n      "label": "home"\n    },\n    {\n      "address": "work@example.com",\n      "label": "work"\n    },\n    {\n      "address": "other@example.com",\n      "label": "other"\n    }\n  ]')"
expect_eq "old Gmail sections" "$(printf 'Jeniffer Doe\tjeniffer@example.com, jeniffer.doe@example.com\t9999999\tMrs\t\t\nJohn Doe\tjohn@example.com, john.doe@example.com\t9999999\tMr\t\t')" "$(rows_of 'name ~ doe')"
for f in horde-bug_6370 horde-bug_6372; do
  snapshot .
  run crm import csv "$real/$f.csv"
  expect_rc 3
  expect_err "crm: $real/$f.csv: row 2: no name
hint: nothing was imported; --on-error skip (or --rejects FILE) imports the other rows"
  expect_unchanged .
done

t "a first row holding data, not column names, is an error unless it is a Thunderbird export"
printf 'Rhys Jones,rhys@example.co.uk,Cardiff\n' >headless.csv
snapshot .
run crm import csv headless.csv
expect_rc 3
expect_err "crm: headless.csv: row 1 column 2: 'rhys@example.co.uk' is not a column name
hint: the first row must name the columns (a headerless Thunderbird export of 36 or 37 columns is read as one)"
expect_unchanged .
cd ../real || exit 2

t "real vCards: every file imports, and importing it again at once changes nothing"
for f in "$real"/*.vcf; do
  run crm import vcard "$f" --on-error skip
  if [[ $rc != 0 ]]; then _fail "import vcard $(basename "$f"): exit $rc" "" "$err"; else _pass; fi
  snapshot .
  run crm import vcard "$f" --on-error skip
  expect_match "second import of $(basename "$f")" "nothing to import: 0 created, 0 updated, [0-9]+ unchanged, 0 rejected" "${out%$'\n'}"
  expect_unchanged .
done

t "real vCards: names, emails and phones as the cards hold them"
row() { crm contact list --where "$1" --fields name,emails,phones --format tsv | sed 1d; }
expect_eq "roundcube-johndoe (windows-1252; the PREF email first)" "$(printf 'John Doë\troundcube@gmail.com, inbox@roundcube.net\t+123456789, +987654321')" "$(row 'email = "inbox@roundcube.net"')"
expect_eq "tine20-HerrFalkMuenchen (Latin-1, no CHARSET)" "$(printf 'München, Falk\tfalk.muenchoen@landtag.xyz.de\t12212/1212, 0171-9394461')" "$(row 'email = "falk.muenchoen@landtag.xyz.de"')"
expect_eq "roundcube-utf-16_sample (UTF-16BE)" "Ǽgean ĽdaMonté" "$(crm contact list --where 'name ~ "ldamonte"' --fields name --format tsv | sed 1d)"
expect_eq "aosp-v21_japanese_1 (Shift_JIS, N only)" "$(printf '安藤ロイド\t\t0300000000')" "$(row 'name = "安藤ロイド"')"
expect_eq "ezvcard-gmail-list (3 cards)" "$(printf 'Arnold Smith\nChris Beatle\nDoug White')" "$(crm contact list --where 'name in ("Arnold Smith", "Chris Beatle", "Doug White")' --fields name --format tsv | sed 1d)"
expect_eq "ezvcard-outlook-2007 (2.1, quoted-printable)" "$(printf 'Mr. Michael Angstadt Jr.\tmike.angstadt@gmail.com\t(111) 555-1111, (111) 555-2222, (111) 555-4444, (111) 555-3333')" "$(row 'email = "mike.angstadt@gmail.com"')"
photo=$(crm contact list --where 'email = "mike.angstadt@gmail.com"' --format ids)
expect_true "the embedded photo is a file beside the record" test -s "files/$photo/photo.jpg"
expect_true "and not pasted into the YAML" bash -c "! grep -q PHOTO contacts/$photo.yaml"

t "vCard round trip: export, import into a fresh workspace, export again gives the same cards (4.0 and 3.0)"
crm export vcard -o ../first.vcf
crm export vcard --version 3.0 -o ../first3.vcf
new_ws ../again
crm -C ../again import vcard ../first.vcf >/dev/null 2>&1
crm -C ../again export vcard -o ../second.vcf
new_ws ../again3
crm -C ../again3 import vcard ../first3.vcf >/dev/null 2>&1
crm -C ../again3 export vcard --version 3.0 -o ../second3.vcf
expect_eq "4.0 cards, in name order" "$(grep -c '^BEGIN:VCARD' ../first.vcf)" "$(grep -c '^BEGIN:VCARD' ../second.vcf)"
# Ids differ between the workspaces, so the cards may come in another order.
cards() { python3 -c 'import sys; t = open(sys.argv[1], newline="").read(); print("\n=====\n".join(sorted(t.split("BEGIN:VCARD"))))' "$1"; }
expect_eq "4.0: the same cards" "$(cards ../first.vcf)" "$(cards ../second.vcf)"
expect_eq "3.0: the same cards" "$(cards ../first3.vcf)" "$(cards ../second3.vcf)"

t "a sales import that fails leaves no folder behind, nor a journal"
cd "$TEST_ROOT" || exit 2
new_ws failing
crm -C failing contact add "Ana Popescu" --email ana@example.ro >/dev/null
printf 'customer,date,product,quantity,price\nana@example.ro,2026-10-20,Audit,1,40.00\nana@example.ro,2026-10-21,Report,1,abc\n' >failing.csv
snapshot failing
run crm -C failing import csv failing.csv --type sales
expect_rc 3
expect_unchanged failing

t "a run killed between a journal line and its file is undone without a 'changed since import'"
cd "$TEST_ROOT" || exit 2
new_ws between
printf 'name,email,city\nAna Pop,ana@example.ro,Cluj\n' >between1.csv
printf 'name,email,city\nAna Pop,ana@example.ro,Iasi\n' >between2.csv
crm -C between import csv between1.csv >/dev/null
file=$(ls between/contacts/*.yaml)
cp "$file" "$_LIB/before-update"
crm -C between import csv between2.csv >/dev/null
# shellcheck disable=SC2012 # the newest by mtime; the names are crm's own
journal=$(ls -t between/.crm/imports/*.jsonl | head -1)
# As a kill leaves it: the update's journal line written, the file not yet, no end line.
cp "$_LIB/before-update" "$file"
sed -i '$d' "$journal"
run crm -C between import undo "$(basename "$journal" .jsonl)"
expect_rc 0
expect_file_eq "$file" "$(cat "$_LIB/before-update")"

finish
