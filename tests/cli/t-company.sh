#!/usr/bin/env bash
# crm company add / show / list / set / rm end to end, and the link from contacts.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

new_ws ws --region GB
cd ws || exit 2

suffix='[a-km-np-z2-9]{4}'
later=2026-11-26T08:30:00+02:00

t "an empty workspace lists no companies: exit 1"
run crm company list --format ids
expect_rc 1
expect_out ""
expect_err ""

t "company add prints only the new id"
run crm company add "Bränd Ltd" --email info@brand.co.uk --email sales:sales@brand.co.uk \
  --phone "020 7946 0000" --website https://brand.co.uk --industry retail \
  --address "1 High St" --postal-code "LS1 1AA" --city Leeds --region "West Yorkshire" --country GB \
  --tag partner --tag uk --notes "Pays on time." --set vat=GB123456789
expect_rc 0
expect_err ""
expect_match "id" "brand-ltd-$suffix"$'\n' "$out"
brand=${out%$'\n'}

t "the company file holds every field in the fixed order"
expect_file_eq "companies/$brand.yaml" <<EOF
id: $brand
name: Bränd Ltd
emails:
  - address: info@brand.co.uk
  - address: sales@brand.co.uk
    label: sales
phones:
  - number: 020 7946 0000
    e164: "+442079460000"
website: https://brand.co.uk
industry: retail
address: 1 High St
postal_code: LS1 1AA
city: Leeds
region: West Yorkshire
country: GB
tags:
  - partner
  - uk
notes: Pays on time.
custom:
  vat: GB123456789
created: 2026-11-25T10:00:00+02:00
updated: 2026-11-25T10:00:00+02:00
EOF

t "company show prints a card"
run crm company show "$brand"
expect_rc 0
expect_err ""
expect_out <<EOF
Bränd Ltd
  id           $brand
  emails       info@brand.co.uk
               sales@brand.co.uk (sales)
  phones       020 7946 0000
  website      https://brand.co.uk
  industry     retail
  address      1 High St
  postal_code  LS1 1AA
  city         Leeds
  region       West Yorkshire
  country      GB
  tags         partner, uk
  notes        Pays on time.
  custom.vat   GB123456789
  created      2026-11-25T10:00:00+02:00
  updated      2026-11-25T10:00:00+02:00
EOF

t "company REFs: name without accents, email, phone in another format"
for ref in "brand ltd" "BRÄND LTD" INFO@brand.co.uk "+44 20 7946 0000" "02079460000"; do
  run crm company show "$ref" --format ids
  expect_rc 0
  expect_out "$brand"
done

t "company list: table, tsv and the sort, tag and field options"
# Ids are slug + 4 characters, so the id column is exactly 15 wide (the Cyrillic one).
kyiv=$(crm company add "Київ Трейд" --city Київ --country UA --industry logistics)
shanghai=$(crm company add "上海贸易" --city 上海 --country CN --tag partner)
run crm company list --format table
expect_rc 0
expect_out <<EOF
id               name        emails                               phones         city   country  tags
$brand   Bränd Ltd   info@brand.co.uk, sales@brand.co.uk  020 7946 0000  Leeds  GB       partner, uk
$kyiv  Київ Трейд                                                      Київ   UA
$shanghai    上海贸易                                                        上海   CN       partner
EOF
run crm company list --tag partner --sort -name --fields name,city
expect_rc 0
expect_out "$(printf 'name\tcity\n上海贸易\t上海\nBränd Ltd\tLeeds')"
run crm company list --sort industry --fields name,industry --format csv
expect_rc 0
expect_out "$(printf 'name,industry\r\nКиїв Трейд,logistics\r\nBränd Ltd,retail\r\n上海贸易,\r')"
run crm company list --fields nmae
expect_rc 2
expect_err "crm: unknown field 'nmae'
hint: did you mean 'name'?"

t "company set changes only what it names"
cp "companies/$brand.yaml" before.yaml
CRM_NOW=$later run crm company set "bränd ltd" industry=fashion tags-=uk email-=INFO@BRAND.CO.UK
expect_rc 0
expect_out ""
expect_err ""
expect_eq "diff" "$(
  cat <<'EOF'
4d3
<   - address: info@brand.co.uk
11c10
< industry: retail
---
> industry: fashion
19d17
<   - uk
24c22
< updated: 2026-11-25T10:00:00+02:00
---
> updated: 2026-11-26T08:30:00+02:00
EOF
)" "$(diff before.yaml "companies/$brand.yaml")"
rm before.yaml

t "company set refuses typos and bad values, changing nothing"
snapshot .
run crm company set "$brand" indsutry=x
expect_rc 2
expect_err <<'EOF'
crm: unknown field 'indsutry'
hint: did you mean 'industry'?
hint: to keep it as a custom field, write custom.indsutry=...
EOF
run crm company set "$brand" email+=not-an-email
expect_rc 3
expect_err "crm: bad email 'not-an-email'"
run crm company set "$brand" name=
expect_rc 3
expect_err "crm: 'name' cannot be empty"
expect_unchanged .

t "company add refuses bad input, writing nothing"
run crm company add "Bad Co" --email nope
expect_rc 3
expect_out ""
expect_err "crm: bad email 'nope'"
run crm company add ""
expect_rc 3
expect_err "crm: a company needs a name"
run crm company add "Bad Co" --country gb1
expect_rc 3
expect_err "crm: unknown country 'gb1'
hint: give an ISO 3166 code such as RO or GB, or the country's name"
expect_unchanged .

t "a contact shows its company by name, and follows a rename"
ana=$(crm contact add "Ana Pop" --company "bränd ltd")
expect_eq "company of the contact" "company: $brand" "$(grep '^company:' "contacts/$ana.yaml")"
crm company set "$brand" "name=Bränd Group Ltd" >/dev/null
run crm contact show "$ana"
expect_rc 0
expect_out <<EOF
Ana Pop
  id       $ana
  company  Bränd Group Ltd ($brand)
  created  2026-11-25T10:00:00+02:00
  updated  2026-11-25T10:00:00+02:00
EOF
expect_file "companies/$brand.yaml"

t "--company with an id links to that company"
bo=$(crm contact add "Bo Pop" --company "$kyiv")
expect_eq "company of the contact" "company: $kyiv" "$(grep '^company:' "contacts/$bo.yaml")"
expect_eq "no new company" "3" "$(find companies -name '*.yaml' | wc -l)"

t "company show lists the company's contacts by name (ids in json)"
cy=$(crm contact add "Віра Шевчук" --company "$kyiv")
run crm company show "$kyiv"
expect_rc 0
expect_err ""
expect_out <<EOF
Київ Трейд
  id        $kyiv
  industry  logistics
  city      Київ
  country   UA
  created   2026-11-25T10:00:00+02:00
  updated   2026-11-25T10:00:00+02:00
  contacts  Bo Pop ($bo)
            Віра Шевчук ($cy)
EOF
run crm company show "$kyiv" --format json
expect_rc 0
expect_out_contains "$(printf '  "computed": {\n    "contacts": [\n      "%s",\n      "%s"\n    ]\n  }' "$bo" "$cy")"
run crm contact list --fields name,company --sort name --where "company = \"$kyiv\""
expect_rc 0
expect_out "$(printf 'name\tcompany\nBo Pop\tКиїв Трейд\nВіра Шевчук\tКиїв Трейд')"
crm contact rm "$cy" --force >/dev/null

t "company rm: refused while referenced, then removed"
run crm company rm "$kyiv" --force
expect_rc 4
expect_err_contains "crm: company '$kyiv' is still referenced by"
crm contact set "$bo" company= >/dev/null
run crm company rm "$kyiv" --force
expect_rc 0
expect_out ""
expect_err ""
expect_no_file "companies/$kyiv.yaml"
run crm company list --format ids --sort name
expect_out "$(printf '%s\n%s' "$brand" "$shanghai")"

finish
