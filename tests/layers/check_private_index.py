#!/usr/bin/env python3
"""The index is private: outside lib/index, no file includes SQLite's headers
(SQLiteCpp, sqlite3.h) or writes SQL in a string literal. Reports and lists ask
lib/index's query functions, so a schema change touches one folder.

  check_private_index.py ROOT [PATH...]

Scans lib/ and cmd/ under ROOT (or only the given PATHs), skipping lib/index.
Prints each offending line as FILE:LINE: what, and exits 1 when there is one.
"""
import pathlib
import re
import sys

INCLUDE = re.compile(r'#\s*include\s*[<"](SQLiteCpp/[^>"]*|sqlite3\.h)[>"]')
# SQL as crm writes it: upper-case keywords, and SQLite's JSON functions.
SQL = re.compile(r'\b(SELECT|INSERT INTO|DELETE FROM|CREATE (TEMP )?(TABLE|INDEX|VIEW)|GROUP BY|ORDER BY)\b'
                 r'|\bjson_(extract|each|set)\(')
STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')


def offences(path: pathlib.Path):
    text = path.read_text(encoding='utf-8', errors='replace')
    for number, line in enumerate(text.splitlines(), 1):
        code = line.split('//', 1)[0] if not line.lstrip().startswith('#') else line
        if m := INCLUDE.search(line):
            yield number, f'includes {m.group(1)}'
            continue
        for literal in STRING.findall(code):
            if m := SQL.search(literal):
                yield number, f'SQL in a string ({m.group(0)!r})'
                break


def main() -> int:
    root = pathlib.Path(sys.argv[1])
    if len(sys.argv) > 2:
        files = [pathlib.Path(p) for p in sys.argv[2:]]
    else:
        files = [p for folder in ('lib', 'cmd') for p in sorted((root / folder).rglob('*'))
                 if p.suffix in ('.cpp', '.hpp') and (root / 'lib' / 'index') not in p.parents]
    bad = 0
    for path in files:
        for number, what in offences(path):
            print(f'{path.relative_to(root) if path.is_relative_to(root) else path}:{number}: {what}')
            bad += 1
    if bad:
        print(f'{bad} line(s) outside lib/index know the index\'s SQL: move them into a query function of lib/index')
        return 1
    print(f'{len(files)} files: none includes SQLite or writes SQL')
    return 0


if __name__ == '__main__':
    sys.exit(main())
