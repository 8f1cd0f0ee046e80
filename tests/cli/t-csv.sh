#!/usr/bin/env bash
# crm import csv / export csv on what real files hold: countries in any language,
# phones in Arabic-Indic, Persian and full-width digits, one-label email domains,
# names from their parts, Yahoo and Windows Contacts exports, an export that
# imports back unchanged, and the decimal comma.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

data=$FIXTURES/import
real=$FIXTURES/real

new_ws ws
cd ws || exit 2

t "countries in 30 languages and scripts, codes and ISO's inverted names: every row imported, with its sales"
run crm import csv "$data/world-contacts.csv"
expect_rc 0
expect_out_match 'import [0-9a-z-]+: 38 created, 0 updated, 0 unchanged, 0 rejected'
expect_err "warning: $data/world-contacts.csv: row 39: 'Atlantis' in column 'Country' is no country crm knows: kept as custom.country_name"
run crm import csv "$data/world-sales.csv" --type sales
expect_rc 0
expect_out_match 'import [0-9a-z-]+: 38 created, 0 updated, 0 unchanged, 0 rejected'
run crm contact list --fields name,country,custom.country_name --sort name --format tsv
expect_out <<'END'
name	country	custom.country_name
Aino Virtanen	FI	
Ana Popescu	RO	
Anna Gruber	AT	
Aoife Murphy	IE	
Ayşe Yılmaz	TR	
Daan de Vries	NL	
Emily Johnson	US	
Erik Johansson	SE	
Giulia Rossi	IT	
Hans Müller	DE	
Ingrid Hansen	NO	
Jan Novák	CZ	
João Silva	BR	
José Hernández	MX	
Kovács Péter	HU	
Liam Tremblay	CA	
Luca Meier	CH	
Lucía García	ES	
Mads Nielsen	DK	
Maryam Ahmadi	IR	
Mira Atlantean		Atlantis
Nguyễn Văn An	VN	
Nodir Karimov	UZ	
Oliver Smith	GB	
Piotr Kowalski	PL	
Reza Karimi	IR	
Sophie Martin	FR	
Thomas Brown	GB	
Γιώργος Παπαδόπουλος	GR	
Иван Петров	BG	
Олена Шевченко	UA	
נועה כהן	IL	
عبدالله القحطاني	SA	
محمد علي	EG	
अनीता शर्मा	IN	
佐藤 花子	JP	
王 伟	CN	
김민준	KR	
END

t "phones in Persian, Arabic-Indic and full-width digits are phones, found by their E.164 form"
run crm contact list --where 'phone = "+989123456789" or phone = "+966501234567" or phone = "+819012345678"' --fields name,phones --sort name --format tsv
expect_out <<'END'
name	phones
Maryam Ahmadi	+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹
عبدالله القحطاني	+٩٦٦ ٥٠ ١٢٣ ٤٥٦٧
佐藤 花子	＋８１ ９０－１２３４－５６７８
END

t "contact add --country and contact set country= take a country's name in any language"
run crm contact add "Lena Wolf" --country Deutschland
expect_rc 0
run crm contact set "Lena Wolf" country=Україна
expect_rc 0
run crm contact list --where 'name = "Lena Wolf"' --fields country --format tsv
expect_out "$(printf 'country\nUA')"
snapshot .
run crm contact set "Lena Wolf" country=Narnia
expect_rc 3
expect_err "crm: unknown country 'Narnia'
hint: give an ISO 3166 code such as RO or GB, or the country's name"
expect_unchanged .

t "emails on one-label domains (Thunderbird's .invalid, localhost) are emails; a bad one is still an error"
run crm import csv "$real/thunderbird-basic_csv_addressbook.csv"
expect_rc 0
expect_out_match 'import [0-9a-z-]+: 2 created, 0 updated, 0 unchanged, 0 rejected'
printf 'given_name,family_name,emails\nAna,Pop,ana@localhost\nIon,Rus,ion+crm@invalid\n' >names.csv
run crm import csv names.csv
expect_rc 0
run crm contact list --where 'email ~ "invalid" or email ~ "localhost"' --fields name,given_name,family_name,emails --sort name --format tsv
expect_out <<'END'
name	given_name	family_name	emails
Ana Pop	Ana	Pop	ana@localhost
Ion Rus	Ion	Rus	ion+crm@invalid
Jane Doe	Jane	Doe	jane@doe.invalid
John Doe	John	Doe	john@doe.invalid
END
snapshot .
run crm contact add "Bad Mail" --email "a b@x.ro"
expect_rc 3
expect_err_contains "crm: bad email 'a b@x.ro'"
expect_unchanged .

t "a name is built from its parts: prefix, given, middle, family, suffix"
printf 'name_prefix,given_name,middle_name,family_name,name_suffix,emails\nDr.,John,Quincy,Public,III,jqp@example.org\n' >parts.csv
run crm import csv parts.csv
expect_rc 0
run crm contact list --where 'email = "jqp@example.org"' --fields name,name_prefix,given_name,middle_name,family_name,name_suffix --format tsv
expect_out "$(printf 'name\tname_prefix\tgiven_name\tmiddle_name\tfamily_name\tname_suffix\nDr. John Quincy Public III\tDr.\tJohn\tQuincy\tPublic\tIII')"

t "Yahoo and Windows Contacts exports: detected, names, emails, phones, places"
cd .. || exit 2
new_ws presets
cd presets || exit 2
run crm import csv "$data/yahoo.csv"
expect_rc 0
run crm import csv "$data/wab.csv"
expect_rc 0
run crm contact list --fields name,given_name,middle_name,family_name,emails,phones,city,country,website,title --sort name --format tsv
expect_out <<'END'
name	given_name	middle_name	family_name	emails	phones	city	country	website	title
Hans Müller	Hans		Müller	hans.mueller@example.de	+49 30 1234567	Berlin	DE		Einkauf
Ion Ionescu	Ion		Ionescu	ion.ionescu@yahoo.ro	021 312 0000	Cluj-Napoca	RO	https://ion.example.ro	
Jane Q. Doe	Jane	Q.	Doe	jane.doe@yahoo.com, jane@example.com	+1 212 555 0101, +1 917 555 0102	New York	US		Editor
Marie Dupont	Marie	Claire	Dupont	marie@example.fr	06 12 34 56 78	Lyon	FR		
END
run crm import csv "$data/yahoo.csv" --preset yahoo
expect_out "nothing to import: 0 created, 0 updated, 2 unchanged, 0 rejected"
run crm import csv "$data/wab.csv" --preset wab
expect_out "nothing to import: 0 created, 0 updated, 2 unchanged, 0 rejected"

t "export csv | import csv: nothing changes in the same workspace, the same records in a new one"
run crm contact add "Ana Label" --email work:ana@label.ro --email home:ana@home.ro --phone "mobile:+44 7700 900123" --phone "+40 722 000 111" --company "Acme SRL" --set 'custom.formula==SUM(A1)'
expect_rc 0
run crm contact add "Bob Plain" --phone "+44 7700 900124" --phone "+40 722 000 112" --company "Acme SRL"
expect_rc 0
run crm export csv --where 'email ~ label or name = "Bob Plain"' --fields name,emails,phones,company,custom.formula
expect_out "$(printf 'name,emails,phones,company,custom.formula\r\nAna Label,work:ana@label.ro; home:ana@home.ro,mobile:+44 7700 900123; +40 722 000 111,Acme SRL,'"'"'=SUM(A1)\r\nBob Plain,,+44 7700 900124; +40 722 000 112,Acme SRL,\r')"
crm export csv -o ../all.csv
snapshot .
run crm import csv ../all.csv
expect_rc 0
expect_out "nothing to import: 0 created, 0 updated, 6 unchanged, 0 rejected"
expect_unchanged .
new_ws ../again
run crm -C ../again import csv ../all.csv
expect_rc 0
crm -C ../again export csv -o ../again.csv
expect_eq "the new workspace exports the same file" "$(cat ../all.csv)" "$(cat ../again.csv)"
run crm -C ../again contact show "Ana Label" --format json
expect_out_contains '"formula": "=SUM(A1)"'
expect_out_contains "$(printf '"number": "+44 7700 900123",\n      "e164": "+447700900123",\n      "label": "mobile"')"
run crm -C ../again company list --fields name --sort name --format tsv
expect_out "$(printf 'name\nAcme SRL\nBeispiel GmbH\nExample Press')"

t "every real CSV fixture: import, export, import again changes nothing, and a new workspace exports the same file"
for file in "$real"/*.csv; do
  name=$(basename "$file" .csv)
  new_ws "../rt-$name"
  crm -C "../rt-$name" import csv "$file" --rejects "../rt-$name.rejects.csv" >/dev/null 2>&1
  crm -C "../rt-$name" export csv -o "../rt-$name.csv"
  # The two Horde bug files hold rows with no name, rejected: nothing to carry.
  [ "$(wc -l <"../rt-$name.csv")" -gt 1 ] || continue
  snapshot "../rt-$name"
  run crm -C "../rt-$name" import csv "../rt-$name.csv"
  expect_rc 0
  expect_out_contains "nothing to import"
  expect_unchanged "../rt-$name"
  new_ws "../rt2-$name"
  run crm -C "../rt2-$name" import csv "../rt-$name.csv"
  expect_rc 0
  crm -C "../rt2-$name" export csv -o "../rt2-$name.csv"
  expect_eq "$name: the new workspace exports the same file" "$(cat "../rt-$name.csv")" "$(cat "../rt2-$name.csv")"
done

t "a decimal comma is refused with the hint to write a dot: products, sale items, payments, CSV cells"
run crm product add Coffee --price 12,5
expect_rc 3
expect_err "crm: bad price '12,5' (use a dot as decimal separator: 12.5)"
run crm sale record "Ana Label" --item "Coffee x 2 @ 12,5"
expect_rc 3
expect_err "crm: bad price '12,5' in --item 'Coffee' (use a dot as decimal separator: 12.5)
hint: expected an amount of EUR with at most 2 decimals"
run crm sale record "Ana Label" --item "Coffee x 1,5 @ 12.50"
expect_rc 3
expect_err "crm: bad --item 'Coffee x 1,5 @ 12.50': bad quantity '1,5' (use a dot as decimal separator: 1.5)
hint: a quantity is a number such as 2 or 2.5"
sale=$(crm sale record "Ana Label" --item "Coffee @ 12.50" --paid-by credit)
run crm payment record "$sale" --amount 3,5
expect_rc 3
expect_err "crm: bad --amount '3,5' (use a dot as decimal separator: 3.5)
hint: expected an amount of EUR more than 0 with at most 2 decimals"
printf 'customer,date,product,quantity,price\nana@label.ro,2026-11-20,Audit,1,"12,5"\n' >comma.csv
snapshot .
run crm import csv comma.csv --type sales
expect_rc 3
expect_err "crm: comma.csv: row 2: bad price '12,5' in --item 'Audit' (use a dot as decimal separator: 12.5)
hint: nothing was imported; --on-error skip (or --rejects FILE) imports the other rows"
expect_unchanged .

t "a NUL byte in a cell is a bad row with its row and column, never part of a name"
new_ws ../nul
printf 'name,email\nAna\0Pop,ana@example.ro\n' >../nul.csv
snapshot ../nul
run crm -C ../nul import csv ../nul.csv
expect_rc 3
expect_out ""
expect_err_contains "crm: ../nul.csv: row 2 column 1: a NUL byte in the text"
expect_unchanged ../nul

finish
