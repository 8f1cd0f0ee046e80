#!/usr/bin/env python3
"""Writes the generated import set for t-import.sh: N good contacts in several
scripts, rows that are the same person as an earlier row (email in another case,
phone in another format, the same name and company spelt with other case and
spaces), two near-duplicate names for `crm contact dupes`, and bad rows of every
kind, at fixed rows. Deterministic: the same N gives the same bytes.

    import_data.py FILE [N]      (default N = 100)

The bad rows are printed on stdout, one "ROW<TAB>what" a line, for the test to
compare with what crm reports.
"""
import sys

GIVEN = ["Ana", "Ion", "Олена", "Gwenllian", "مریم", "Ștefan", "Dafydd", "Тарас", "علی", "Ioana"]
FAMILY = ["Popescu", "Ionescu", "Шевченко", "Jones", "احمدی", "Rădulescu", "Evans", "Коваль", "رضایی", "Marin"]
CITIES = ["Cluj-Napoca", "Київ", "Caerdydd", "تهران", "București"]
COUNTRIES = ["RO", "UA", "GB", "IR", "RO"]


def main():
    path = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    rows = []  # bytes, without the line end
    bad = []

    def cells(*values):
        out = []
        for v in values:
            v = v if isinstance(v, bytes) else v.encode("utf-8")
            if any(c in v for c in (b",", b'"', b"\n")):
                v = b'"' + v.replace(b'"', b'""') + b'"'
            out.append(v)
        return b",".join(out)

    header = cells("Name", "E-mail Address", "Mobile Phone", "Company", "City", "Country", "Tags", "Birthday")
    for i in range(n):
        name = f"{GIVEN[i % 10]} {FAMILY[(i // 10) % 10]} {i:03d}"
        rows.append(cells(name, f"p{i:03d}@example.org", f"+40 722 {i:03d} {i:03d}",
                          "Acme SRL" if i % 3 == 0 else "", CITIES[i % 5], COUNTRIES[i % 5],
                          "vip" if i % 4 == 0 else "", f"19{60 + i % 40}-0{1 + i % 9}-1{i % 10}"))
    # The same people again (rows n+2 ...): each matches an earlier row.
    rows.append(cells("Ana Popescu 000", "P000@EXAMPLE.ORG", "", "", "", "", "newsletter", ""))  # email case
    rows.append(cells("Ion Popescu 001", "", "0722 001 001", "", "Turda", "", "", ""))          # phone format
    rows.append(cells("ȘTEFAN   popescu 005", "", "", "", "", "", "", ""))                      # name + no company
    # Two near-duplicates that are not the same row: for `contact dupes`.
    rows.append(cells("Ioana Marinescu", "ioana.m@example.ro", "", "", "", "", "", ""))
    rows.append(cells("Ioana Marinescv", "imarinescu@example.ro", "", "", "", "", "", ""))
    # Bad rows.
    def add_bad(row_cells, what):
        rows.append(row_cells)
        bad.append((len(rows) + 1, what))  # +1: the header is row 1
    add_bad(cells("Bad Utf8", "bad.utf8@example.org", "", "", b"Cluj\xff", "", "", ""), "invalid UTF-8")
    add_bad(cells("Too Many", "too.many@example.org", "", "", "", "", "", "", "extra"), "column count")
    add_bad(cells("Bad Email", "bad(at)example.org", "", "", "", "", "", ""), "bad email")
    add_bad(cells("Bad Date", "bad.date@example.org", "", "", "", "", "", "1990-02-30"), "bad date")
    add_bad(cells("", "", "", "", "Iași", "", "", ""), "no name")
    with open(path, "wb") as f:
        f.write(header + b"\r\n")
        for r in rows:
            f.write(r + b"\r\n")
    for row, what in bad:
        print(f"{row}\t{what}")


if __name__ == "__main__":
    main()
