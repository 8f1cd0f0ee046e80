#!/usr/bin/env bash
# crm search TEXT: full text over names, notes, activity summaries and feedback,
# case-, accent- and mark-insensitive in every script (Welsh, Romanian, Ukrainian,
# Arabic with harakat), prefixes, every word must match, ranked, with the record's
# (or its contact's) name and a snippet; hand edits and removals seen at once; FTS
# syntax in the query is just text; empty queries refused.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

new_ws ws --region RO
cd ws || exit 2

header=$(printf 'type\tname\tsnippet\tid')

gwen=$(crm contact add "Gwenllïan Jones" --notes $'Runs a bakery in Cardiff.\nPrefers Welsh.')
ana=$(crm contact add "Ana Popescu")
mo=$(crm contact add "محمد العلي" --notes "يريد عرض سعر للموقع")
# "Muhammad called about the price offer", with harakat and a hamza.
mo_call=$(crm log call "$mo" -m "مُحَمَّد اتصل بشأن عَرْض السعر" --at 2026-11-20T09:00:00+02:00)
olena=$(crm contact add "Олена Шевченко")
stefan=$(crm contact add "Ștefan Bălan")
ana_call=$(crm log call "$ana" --at 2026-11-21T10:00:00+02:00 -m "We went through the whole catalogue page by page and in the end she asked for a written quotation covering the spring collection and delivery to Cluj before March")
teapot=$(crm feedback add "$ana" --kind complaint -m "The parcel arrived with a broken teapot" --at 2026-11-22T10:00:00+02:00)

t "gwenllian finds Gwenllïan: type, name, snippet, id"
run crm search gwenllian
expect_rc 0
expect_err ""
expect_out <<EOF
$header
contact	Gwenllïan Jones	Gwenllïan Jones	$gwen
EOF

t "GWENLLÏAN (capitals, with the accent) finds her too"
run crm search GWENLLÏAN
expect_rc 0
expect_out <<EOF
$header
contact	Gwenllïan Jones	Gwenllïan Jones	$gwen
EOF

t "notes are searched; the snippet is the text on one line"
run crm search cardiff
expect_rc 0
expect_out <<EOF
$header
contact	Gwenllïan Jones	Runs a bakery in Cardiff. Prefers Welsh.	$gwen
EOF

t "a prefix finds the word: popesc finds Popescu"
run crm search popesc
expect_rc 0
expect_out <<EOF
$header
contact	Ana Popescu	Ana Popescu	$ana
EOF

t "a word must start a word: escu does not find Popescu"
run crm search escu
expect_rc 1
expect_out "$header"

t "several words must all match"
run crm search ana popescu
expect_rc 0
expect_out <<EOF
$header
contact	Ana Popescu	Ana Popescu	$ana
EOF
run crm search "ana jones"
expect_rc 1
expect_err ""
expect_out "$header"

t "Ukrainian: шевченко finds Олена Шевченко, and so does ШЕВЧЕНКО"
run crm search шевченко
expect_rc 0
expect_out <<EOF
$header
contact	Олена Шевченко	Олена Шевченко	$olena
EOF
run crm search ШЕВЧЕНКО
expect_rc 0
expect_out <<EOF
$header
contact	Олена Шевченко	Олена Шевченко	$olena
EOF

t "Romanian: stefan finds Ștefan, balan finds Bălan"
run crm search stefan
expect_rc 0
expect_out <<EOF
$header
contact	Ștefan Bălan	Ștefan Bălan	$stefan
EOF
run crm search balan
expect_rc 0
expect_out <<EOF
$header
contact	Ștefan Bălan	Ștefan Bălan	$stefan
EOF

t "Arabic: عرض finds the activity whose summary (its title) has عَرْض with harakat, then the notes"
run crm search عرض
expect_rc 0
expect_err ""
expect_out <<EOF
$header
activity	محمد العلي	مُحَمَّد اتصل بشأن عَرْض السعر	$mo_call
contact	محمد العلي	يريد عرض سعر للموقع	$mo
EOF

t "Arabic: عرض also finds العرض (the article is folded away)"
run crm log note "$mo" -m "أرسلنا العرض أمس" --at 2026-11-21
expect_rc 0
run crm search عرض --format ids
expect_rc 0
expect_out_contains "2026-11-21-note-"
run crm activity rm "$(crm search عرض --format ids | grep -- -note-)" --force
expect_rc 0

t "Arabic: محمد finds the name and the activity's مُحَمَّد (marks folded away)"
run crm search محمد
expect_rc 0
expect_out <<EOF
$header
contact	محمد العلي	محمد العلي	$mo
activity	محمد العلي	مُحَمَّد اتصل بشأن عَرْض السعر	$mo_call
EOF

t "Arabic: a query with harakat and hamza finds the plain text"
run crm search "بشأن"
expect_rc 0
expect_out <<EOF
$header
activity	محمد العلي	مُحَمَّد اتصل بشأن عَرْض السعر	$mo_call
EOF
run crm search "مُحَمَّد" --limit 1
expect_rc 0
expect_out <<EOF
$header
contact	محمد العلي	محمد العلي	$mo
EOF

t "an activity hit is named by its contact; the snippet is cut with … at both ends"
run crm search quotation
expect_rc 0
expect_out <<EOF
$header
activity	Ana Popescu	…asked for a written quotation covering the spring collection and delivery to…	$ana_call
EOF

t "a snippet near the start has … only at the end, near the end only at the start"
run crm search catalogue
expect_rc 0
expect_out <<EOF
$header
activity	Ana Popescu	…went through the whole catalogue page by page and in the end…	$ana_call
EOF
run crm search whole
expect_rc 0
expect_out <<EOF
$header
activity	Ana Popescu	We went through the whole catalogue page by page and in the…	$ana_call
EOF
run crm search march
expect_rc 0
expect_out <<EOF
$header
activity	Ana Popescu	…written quotation covering the spring collection and delivery to Cluj before March	$ana_call
EOF

t "feedback text is found, named by its contact"
run crm search teapot
expect_rc 0
expect_out <<EOF
$header
feedback	Ana Popescu	The parcel arrived with a broken teapot	$teapot
EOF

t "json: every key of each hit, with the field that matched"
run crm search teapot --format json
expect_rc 0
expect_err ""
expect_out <<EOF
[
  {
    "type": "feedback",
    "id": "$teapot",
    "name": "Ana Popescu",
    "field": "summary",
    "snippet": "The parcel arrived with a broken teapot"
  }
]
EOF
run crm search محمد --format json
expect_rc 0
expect_out <<EOF
[
  {
    "type": "contact",
    "id": "$mo",
    "name": "محمد العلي",
    "field": "name",
    "snippet": "محمد العلي"
  },
  {
    "type": "activity",
    "id": "$mo_call",
    "name": "محمد العلي",
    "field": "summary",
    "snippet": "مُحَمَّد اتصل بشأن عَرْض السعر"
  }
]
EOF

t "no hit in json is [] with exit 1"
run crm search nothingatall --format json
expect_rc 1
expect_err ""
expect_out "[]"

t "--limit N keeps the N best"
run crm search محمد --limit 1
expect_rc 0
expect_out <<EOF
$header
contact	محمد العلي	محمد العلي	$mo
EOF

t "a match in the name ranks before a single match in long notes"
# Ion is added first and sorts first by id: only the ranking puts Maria ahead.
ion=$(crm contact add "Ion Vasile" --notes "A long note about many things: the shop, the suppliers, the delivery vans, the warehouse in Cluj, the accountant, the bank, and at last Lungu, who sent him to us in the spring of last year.")
maria=$(crm contact add "Maria Lungu")
run crm search lungu
expect_rc 0
expect_out <<EOF
$header
contact	Maria Lungu	Maria Lungu	$maria
contact	Ion Vasile	…bank, and at last Lungu, who sent him to us in the…	$ion
EOF

t "a removed record is gone from the very next search"
crm contact rm "Maria Lungu" --force >/dev/null 2>&1
run crm search lungu
expect_rc 0
expect_out <<EOF
$header
contact	Ion Vasile	…bank, and at last Lungu, who sent him to us in the…	$ion
EOF
rm "feedback/2026/11/$teapot.yaml"
run crm search teapot
expect_rc 1
expect_err ""
expect_out "$header"

t "a file edited by hand is found by its new words, not its old ones, at once"
cat >"contacts/$stefan.yaml" <<EOF
id: $stefan
name: Ștefan Bălan
notes: Sells handmade pottery
EOF
run crm search pottery
expect_rc 0
expect_out <<EOF
$header
contact	Ștefan Bălan	Sells handmade pottery	$stefan
EOF
# Same size, same second: the index must still notice.
cat >"contacts/$stefan.yaml" <<EOF
id: $stefan
name: Ștefan Bălan
notes: Sells handmade baskets
EOF
run crm search pottery
expect_rc 1
expect_err ""
expect_out "$header"
run crm search baskets
expect_rc 0
expect_out <<EOF
$header
contact	Ștefan Bălan	Sells handmade baskets	$stefan
EOF

t "no hit is exit 1 with just the header and nothing on stderr"
run crm search zzyzx
expect_rc 1
expect_err ""
expect_out "$header"

t "an empty query is a usage error"
snapshot .
run crm search ""
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: nothing to search for
hint: give a word or more: crm search popescu
EOF
expect_unchanged .

t "a query of punctuation only is a usage error"
run crm search "!!"
expect_rc 2
expect_out ""
expect_err <<'EOF'
crm: nothing to search for
hint: give a word or more: crm search popescu
EOF
run crm search '*'
expect_rc 2
expect_err <<'EOF'
crm: nothing to search for
hint: give a word or more: crm search popescu
EOF

t "FTS syntax is plain text: quotes and OR do not make an OR query"
# As FTS5 this would find both Ana and Ion; as words, all three must match.
run crm search 'ana" OR "vasile'
expect_rc 1
expect_err ""
expect_out "$header"
run crm search 'a" OR b'
expect_rc 1
expect_err ""
expect_out "$header"

t "FTS syntax is plain text: NEAR( and a column filter are words"
run crm search 'NEAR(x'
expect_rc 1
expect_err ""
expect_out "$header"
run crm search 'name:gwenllian'
expect_rc 1
expect_err ""
expect_out "$header"

t "FTS syntax is plain text: a trailing *, ^ and quotes around a word still find it"
run crm search 'popesc*'
expect_rc 0
expect_out <<EOF
$header
contact	Ana Popescu	Ana Popescu	$ana
EOF
run crm search '^"popescu"'
expect_rc 0
expect_out <<EOF
$header
contact	Ana Popescu	Ana Popescu	$ana
EOF
run crm search -- -popescu
expect_rc 0
expect_out <<EOF
$header
contact	Ana Popescu	Ana Popescu	$ana
EOF

t "search never writes a record file"
snapshot .
run crm search gwenllian
expect_rc 0
expect_unchanged .

t "words found in different fields of one record match it (name and notes)"
run crm search gwenllian bakery
expect_rc 0
expect_err ""
expect_out_match "$header"$'\ncontact\tGwenllïan Jones\t[^\t\n]+\t'"$gwen"

t "Persian and Arabic letter variants find each other: ی/ي, ک/ك, ه/ة"
reza=$(crm contact add "رضا کاظمی" --notes "مشتری قدیمی")
run crm search "كاظمي"
expect_rc 0
expect_err ""
expect_out <<EOF
$header
contact	رضا کاظمی	رضا کاظمی	$reza
EOF
run crm search "قديمي"
expect_rc 0
expect_out <<EOF
$header
contact	رضا کاظمی	مشتری قدیمی	$reza
EOF

finish
