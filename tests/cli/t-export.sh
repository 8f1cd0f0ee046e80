#!/usr/bin/env bash
# crm export csv|json|jsonl|yaml: exact output of every format, --where, --fields,
# -o (atomic: a failed export leaves the old file), the CSV formula guard on and
# off, text in every script, RFC 4180 quoting, every record type, and memory that
# stays flat on 20 000 contacts.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

# crlf: expected CSV written with plain line ends.
crlf() { sed 's/$/\r/'; }

# Seven contacts in five scripts with fixed ids (tests/fixtures/small).
fixture_ws ws small
cd ws || exit 2
crm index status >/dev/null
snapshot .

t "export csv --fields: names in Latin, Cyrillic, Arabic and Chinese, lists joined with '; ' (labels kept), CRLF"
run crm export csv --fields id,name,emails,phones,city,tags
expect_rc 0
expect_err ""
expect_out "$(crlf <<'EOF'
id,name,emails,phones,city,tags
ana-popescu-k7q2,Ana Popescu,work:ana@acme.ro,mobile:0722 123 456,Cluj-Napoca,vip; cluj
ioana-marin-m3n4,Ioana Marin,ioana@example.ro,,Iași,vip
sian-evans-z5a6,Siân Evans,,,Caerdydd,cymru
олена-коваленко-p5r6,Олена Коваленко,olena@example.com.ua,+380 44 123 4567,Київ,ua
سارا-محمدی-v9w2,سارا محمدی,,,تهران,
محمد-الاحمد-t7u8,محمد الأحمد,,,دبي,vip; gulf
王小明-x3y4,王小明,wang@example.cn,,上海,vip
EOF
)"

t "export csv without --fields: every field that fits a cell, then the custom keys the records hold"
run crm export csv --where 'name = "王小明" or name ~ popescu'
expect_rc 0
expect_err ""
expect_out "$(crlf <<'EOF'
id,name,given_name,family_name,middle_name,name_prefix,name_suffix,emails,phones,company,title,address,postal_code,city,region,country,website,prefers,source,stage,lost_to,lost_reason,cadence,birthday,anniversary,family,interests,groups,vcard_extra,merged_ids,tags,notes,created,updated,custom.vat_id
ana-popescu-k7q2,Ana Popescu,,,,,,work:ana@acme.ro,mobile:0722 123 456,Acme SRL,CEO,,,Cluj-Napoca,,RO,,,,customer,,,,,,,,,,,vip; cluj,,2026-11-01T09:00:00+02:00,2026-11-01T09:00:00+02:00,RO123
王小明-x3y4,王小明,,,,,,wang@example.cn,,,,,,上海,,CN,,,,customer,,,,,,,,,,,vip,,2026-11-06T09:00:00+02:00,2026-11-06T09:00:00+02:00,
EOF
)"

t "export csv, then import csv into the same workspace: nothing changes (the company cell is the company's name)"
run crm export csv -o ../all.csv
expect_rc 0
snapshot .
run crm import csv ../all.csv
expect_rc 0
expect_out_match 'nothing to import: 0 created, 0 updated, [0-9]+ unchanged, 0 rejected'
expect_unchanged .
rm ../all.csv

t "export csv, then import csv into a fresh workspace: the custom fields come back"
run crm export csv --where 'name ~ popescu' -o popescu.csv
expect_rc 0
new_ws ../again
run crm -C ../again import csv popescu.csv
expect_rc 0
run crm -C ../again contact list --fields custom.vat_id,city --format tsv
expect_out "$(printf 'custom.vat_id\tcity\nRO123\tCluj-Napoca')"
rm popescu.csv

t "export csv --type companies"
run crm export csv --type companies --fields id,name,city
expect_rc 0
expect_out "$(crlf <<'EOF'
id,name,city
acme-srl-h2x9,Acme SRL,Cluj-Napoca
EOF
)"

t "export json: one array of whole records, as stored"
run crm export json --where 'stage = prospect'
expect_rc 0
expect_err ""
expect_out <<'EOF'
[
  {
    "id": "олена-коваленко-p5r6",
    "name": "Олена Коваленко",
    "emails": [
      {
        "address": "olena@example.com.ua"
      }
    ],
    "phones": [
      {
        "number": "+380 44 123 4567",
        "e164": "+380441234567"
      }
    ],
    "city": "Київ",
    "country": "UA",
    "stage": "prospect",
    "tags": [
      "ua"
    ],
    "created": "2026-11-03T09:00:00+02:00",
    "updated": "2026-11-03T09:00:00+02:00"
  }
]
EOF

t "export jsonl: one whole record per line; --fields keeps just those keys"
run crm export jsonl --where 'country in (IR, AE)'
expect_rc 0
expect_err ""
expect_out <<'EOF'
{"id":"سارا-محمدی-v9w2","name":"سارا محمدی","city":"تهران","country":"IR","stage":"customer","created":"2026-11-05T09:00:00+02:00","updated":"2026-11-05T09:00:00+02:00"}
{"id":"محمد-الاحمد-t7u8","name":"محمد الأحمد","city":"دبي","country":"AE","stage":"lead","tags":["vip","gulf"],"created":"2026-11-04T09:00:00+02:00","updated":"2026-11-04T09:00:00+02:00"}
EOF
run crm export jsonl --where vip --fields name,custom.vat_id
expect_rc 0
expect_out <<'EOF'
{"name":"Ana Popescu","custom.vat_id":"RO123"}
{"name":"Ioana Marin"}
{"name":"محمد الأحمد"}
{"name":"王小明"}
EOF

t "export yaml: one document per record as its file holds it, --- between them"
run crm export yaml --where 'stage = customer and country != IR'
expect_rc 0
expect_err ""
expect_out <<'EOF'
id: ana-popescu-k7q2
name: Ana Popescu
emails:
  - address: ana@acme.ro
    label: work
phones:
  - number: 0722 123 456
    e164: "+40722123456"
    label: mobile
company: acme-srl-h2x9
title: CEO
city: Cluj-Napoca
country: RO
stage: customer
tags:
  - vip
  - cluj
custom:
  vat_id: RO123
created: 2026-11-01T09:00:00+02:00
updated: 2026-11-01T09:00:00+02:00
---
id: 王小明-x3y4
name: 王小明
emails:
  - address: wang@example.cn
city: 上海
country: CN
stage: customer
tags:
  - vip
created: 2026-11-06T09:00:00+02:00
updated: 2026-11-06T09:00:00+02:00
EOF
expect_eq "the first document" "$(cat contacts/ana-popescu-k7q2.yaml)" "$(sed '/^---$/,$d' <<<"$out")"
run crm export yaml --where 'tags = cymru or stage = prospect' --fields name,tags
expect_rc 0
expect_out <<'EOF'
name: Siân Evans
tags:
  - cymru
---
name: Олена Коваленко
tags:
  - ua
EOF

t "an export of nothing: exit 0, csv has its header, json [], jsonl and yaml nothing"
run crm export csv --where 'stage = lost' --fields id,name
expect_rc 0
expect_err ""
expect_out "$(printf 'id,name\r')"
run crm export json --where 'stage = lost'
expect_rc 0
expect_out "[]"
for f in jsonl yaml; do
  run crm export "$f" --where 'stage = lost'
  expect_rc 0
  expect_out ""
done

t "a bad filter is exit 3 with the column, nothing on stdout"
run crm export csv --where 'stage = '
expect_rc 3
expect_out ""
expect_err_match "crm: bad filter at column [0-9]+: .*"

t "an unknown type, a near miss in --fields or no field at all is a usage error (exit 2)"
run crm export csv --type people
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: unknown record type 'people'
hint: types: companies, contacts, products, campaigns, deals, activities, followups, feedback, sales, payments, loyalty, segments
EOF
run crm export jsonl --fields id,nmae
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: unknown field 'nmae'
hint: did you mean 'name'?
EOF
run crm export csv --fields ,
expect_rc 2
expect_err "crm: no field names in --fields ','"
run crm export
expect_rc 2
expect_err_contains "crm export"

t "export reads only: nothing in the workspace changed"
expect_unchanged .

t "-o FILE: written whole, nothing on stdout; an existing file is replaced"
mkdir -p ../out
printf 'old\n' >../out/contacts.csv
run crm export csv --fields id,city --where 'country = UA' -o ../out/contacts.csv
expect_rc 0
expect_out ""
expect_err ""
expect_eq "the file" "$(printf 'id,city\r\nолена-коваленко-p5r6,Київ\r\nx')" "$(cat ../out/contacts.csv && printf x)"
run crm export jsonl --fields id --where 'country = UA' --output ../out/one.jsonl
expect_rc 0
expect_file_eq ../out/one.jsonl '{"id":"олена-коваленко-p5r6"}'
run crm export jsonl --fields id --where 'country = UA' -o -
expect_out '{"id":"олена-коваленко-p5r6"}'

t "-o: a bad filter or field leaves the existing file as it was"
run crm export csv --where 'nosuchfield = 1' -o ../out/contacts.csv
expect_rc 3
run crm export csv --fields nmae -o ../out/contacts.csv
expect_rc 2
expect_eq "the file" "$(printf 'id,city\r\nолена-коваленко-p5r6,Київ\r\nx')" "$(cat ../out/contacts.csv && printf x)"

t "-o into a missing folder or onto a folder is exit 5, and creates nothing"
run crm export csv -o ../nosuch/contacts.csv
expect_rc 5
expect_out ""
expect_err "crm: cannot write '../nosuch/contacts.csv': no folder '../nosuch'"
expect_no_file ../nosuch
run crm export csv -o ../out
expect_rc 5
expect_err "crm: cannot write '../out': it is a directory"

t "-o in a read-only folder is exit 5 and the file there stays"
mkdir -p ../ro && printf 'keep\n' >../ro/x.csv && chmod a-w ../ro
if [[ -w ../ro ]]; then
  _pass # running as root: permissions do not stop writes
else
  run crm export csv -o ../ro/x.csv
  expect_rc 5
  expect_err_match "crm: cannot create '../ro/\.crm-tmp-x\.csv-[0-9a-f]+': Permission denied"
  expect_file_eq ../ro/x.csv "keep"
fi
chmod u+w ../ro

t "formula guard: = + - @ tab cells get a ' (not plain numbers or phones); --no-formula-guard keeps them"
new_ws ../guard
cd ../guard || exit 2
made crm contact add "Eve Formula" --title "=HYPERLINK(\"http://evil\",\"x\")" --phone "+40 722 123 456" \
  --set balance=-12.00 --set cmd="@SUM(A1)" --set plus="+cmd|' /C calc'!A0" --set minus="-2+3" >/dev/null
run crm export csv --fields name,title,phones,custom.balance,custom.cmd,custom.plus,custom.minus
expect_rc 0
expect_err ""
expect_out "$(crlf <<'EOF'
name,title,phones,custom.balance,custom.cmd,custom.plus,custom.minus
Eve Formula,"'=HYPERLINK(""http://evil"",""x"")",+40 722 123 456,-12.00,'@SUM(A1),'+cmd|' /C calc'!A0,'-2+3
EOF
)"
run crm export csv --no-formula-guard --fields name,title,phones,custom.balance,custom.cmd,custom.plus,custom.minus
expect_rc 0
expect_out "$(crlf <<'EOF'
name,title,phones,custom.balance,custom.cmd,custom.plus,custom.minus
Eve Formula,"=HYPERLINK(""http://evil"",""x"")",+40 722 123 456,-12.00,@SUM(A1),+cmd|' /C calc'!A0,-2+3
EOF
)"
run crm export json --no-formula-guard
expect_rc 2
expect_err_contains "--no-formula-guard"

t "notes with line breaks, quotes and commas are one quoted cell (RFC 4180)"
made crm contact add "Quote Person" --set "notes=said \"call me\", then
left; later" --set city=" Bucharest" >/dev/null
run crm export csv --where 'name ~ quote' --fields name,notes,city
expect_rc 0
expect_out "$(printf 'name,notes,city\r\nQuote Person,"said ""call me"", then\nleft; later\n",Bucharest\r')"
cd ../ws || exit 2

t "every record type exports (exit 0) with its header"
new_ws ../all --currency EUR
cd ../all || exit 2
sed -i 's/points_per_unit: 0/points_per_unit: 1/' .crm/config.yaml
ana=$(made crm contact add "Ana Popescu" --email ana@example.ro)
made crm company add "Acme SRL" >/dev/null
made crm product add "Audit" --price 100 >/dev/null
made crm campaign add "Spring" --channel email >/dev/null
made crm deal add "$ana" --title "Website" --value 500 >/dev/null
made crm log call "$ana" -m "first call" >/dev/null
made crm followup add "$ana" --due tomorrow -m "send the offer" >/dev/null
made crm feedback add "$ana" --kind review --rating 5 -m "great" >/dev/null
sale=$(made crm sale record "$ana" --item "Audit x 2" --paid-by credit) # and a stage activity: a customer now
made crm payment record "$sale" --amount 50 >/dev/null 2>&1 # "left to pay" on stderr
made crm loyalty redeem "$ana" 10 >/dev/null 2>&1     # "points left" on stderr
made crm segment create "Everyone" --where 'has:email' >/dev/null
while read -r type rows header; do
  run crm export csv --type "$type"
  expect_rc 0
  expect_err ""
  expect_eq "header of $type" "$header" "$(head -1 <<<"$out" | tr -d '\r')"
  expect_eq "rows of $type" "$rows" "$(($(printf '%s' "$out" | wc -l) - 1))"
  run crm export jsonl --type "$type" --fields id
  expect_rc 0
  expect_eq "jsonl rows of $type" "$rows" "$(grep -c '^{"id":' <<<"$out")"
done <<'EOF'
contacts 1 id,name,given_name,family_name,middle_name,name_prefix,name_suffix,emails,phones,company,title,address,postal_code,city,region,country,website,prefers,source,stage,lost_to,lost_reason,cadence,birthday,anniversary,family,interests,groups,vcard_extra,merged_ids,tags,notes,created,updated
contact 1 id,name,given_name,family_name,middle_name,name_prefix,name_suffix,emails,phones,company,title,address,postal_code,city,region,country,website,prefers,source,stage,lost_to,lost_reason,cadence,birthday,anniversary,family,interests,groups,vcard_extra,merged_ids,tags,notes,created,updated
companies 1 id,name,emails,phones,website,industry,address,postal_code,city,region,country,tags,notes,created,updated
products 1 id,name,sku,category,unit,currency,price,cost,tags,notes,created,updated
campaigns 1 id,name,channel,start,end,currency,cost,audience,tags,notes,created,updated
deals 1 id,title,contact,stage,product,value,currency,probability,close,lost_reason,sale,tags,notes,created,updated
activities 2 id,kind,contact,at,direction,duration,outcome,campaign,from,to,lost_to,lost_reason,summary,followup,tags,notes,created,updated
followups 1 id,contact,due,summary,status,snoozed,source,done_at,done_note,tags,notes,created,updated
feedback 1 id,kind,contact,at,product,sale,rating,nps,channel,summary,status,resolved_at,resolution_minutes,resolution,followup,tags,notes,created,updated
sales 1 id,contact,at,status,currency,subtotal,discount,discount_amount,total,cost,margin,paid_by,terms,due,campaign,refund_of,feedback,points,voided_at,void_reason,tags,notes,created,updated
payments 1 id,sale,contact,at,amount,currency,method,tags,notes,created,updated
loyalty 1 id,contact,at,points,reason,tags,notes,created,updated
segments 1 id,name,where,description,tags,notes,created,updated
EOF
cd ../ws || exit 2

t "a failed export half way (file size limit) leaves the old file and no temp file"
new_ws ../big
python3 "$CLI_DIR/../bench/gen_contacts.py" ../big 500 >/dev/null
crm -C ../big index status >/dev/null
printf 'old\n' >../out/big.jsonl
# 64 KiB: the index is already written; the export is bigger.
(ulimit -f 64 && trap '' XFSZ && "$CRM" -C ../big export jsonl -o ../out/big.jsonl) >"$_LIB/out" 2>"$_LIB/err"
rc=$?
_slurp
expect_rc 5
expect_err_match "crm: cannot write '.*\.crm-tmp-big\.jsonl-[0-9a-f]+': File too large"
expect_file_eq ../out/big.jsonl "old"
expect_eq "files in ../out" "big.jsonl contacts.csv one.jsonl" "$(cd ../out && echo *)"
expect_eq "temp files in ../out" "" "$(find ../out -maxdepth 1 -name '*crm-tmp*')"
run crm -C ../big export jsonl -o ../out/big.jsonl
expect_rc 0
expect_eq "lines in the export" "500" "$(wc -l <../out/big.jsonl)"

t "export jsonl of 20 000 contacts streams: peak memory under 60 MB"
new_ws ../huge
python3 "$CLI_DIR/../bench/gen_contacts.py" ../huge 20000 >/dev/null
crm -C ../huge index status >/dev/null
/usr/bin/time -f %M -o "$_LIB/rss" "$CRM" -C ../huge export jsonl -o ../out/huge.jsonl
rc=$?
expect_rc 0
expect_eq "lines in the export" "20000" "$(wc -l <../out/huge.jsonl)"
rss_kb=$(tail -1 "$_LIB/rss")
echo "peak RSS, export jsonl of 20 000 contacts: $rss_kb KB" >&2
if ((rss_kb < 60 * 1024)); then _pass; else _fail "peak RSS of export jsonl on 20 000 contacts: ${rss_kb} KB (limit 61440 KB)"; fi
/usr/bin/time -f %M -o "$_LIB/rss" "$CRM" -C ../huge export csv -o ../out/huge.csv
rc=$?
expect_rc 0
expect_eq "lines in the csv export" "20001" "$(wc -l <../out/huge.csv)"
rss_kb=$(tail -1 "$_LIB/rss")
if ((rss_kb < 60 * 1024)); then _pass; else _fail "peak RSS of export csv on 20 000 contacts: ${rss_kb} KB (limit 61440 KB)"; fi

finish
