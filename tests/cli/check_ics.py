#!/usr/bin/env python3
"""Strict checker for the iCalendar files `crm due --format ics` writes.

Usage: check_ics.py [-v] FILE     (FILE "-" reads standard input)

Exits 0 when the file is fine (with -v it prints "N events"), 1 with
"check_ics: line N: problem" on the first problem found, 2 on bad usage.

The hand checks follow RFC 5545 as far as crm's output uses it: UTF-8, CRLF line
ends, lines of at most 75 octets, folding, the content-line grammar, component
nesting, the required calendar and event properties, DATE / UTC DATE-TIME values,
unique UIDs. When the `icalendar` module is importable the file is parsed with it
too, as a calendar app would. Python standard library only otherwise.
"""

import re
import sys

MAX_OCTETS = 75

# name = iana-token / x-name: letters, digits and "-" (RFC 5545 3.1).
NAME_RE = re.compile(r"[A-Za-z0-9-]+")
# CONTROL = %x00-08 / %x0A-1F / %x7F: not allowed anywhere in a content line.
CONTROL_RE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
DATE_RE = re.compile(r"(\d{4})(\d{2})(\d{2})")
UTC_RE = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z")

# VEVENT properties that must not occur more than once (RFC 5545 3.6.1).
EVENT_ONCE = {
    "CLASS", "CREATED", "DESCRIPTION", "DTSTART", "GEO", "LAST-MODIFIED",
    "LOCATION", "ORGANIZER", "PRIORITY", "DTSTAMP", "SEQUENCE", "STATUS",
    "SUMMARY", "TRANSP", "UID", "URL", "RECURRENCE-ID", "DTEND", "DURATION",
}
EVENT_REQUIRED = ("UID", "DTSTAMP", "DTSTART")


class Problem(Exception):
    def __init__(self, line, message):
        super().__init__(message)
        self.line = line
        self.message = message


class ContentLine:
    def __init__(self, lineno, name, params, value):
        self.lineno = lineno  # physical line where it starts
        self.name = name      # upper case
        self.params = params  # {NAME: [values]}, names upper case
        self.value = value


class Component:
    def __init__(self, lineno, name):
        self.lineno = lineno
        self.name = name
        self.props = []
        self.children = []

    def all(self, name):
        return [p for p in self.props if p.name == name]


def physical_lines(data):
    """Splits bytes into (lineno, text) lines, each of which must end with CRLF."""
    if not data:
        raise Problem(1, "the file is empty")
    if data.startswith(b"\xef\xbb\xbf"):
        raise Problem(1, "byte order mark at the start of the file")
    try:
        text = data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as e:
        lineno = data.count(b"\n", 0, e.start) + 1
        raise Problem(lineno, f"not valid UTF-8 (byte 0x{data[e.start]:02x})")
    lines = []
    lineno = 1
    pos = 0
    while pos < len(text):
        cr = text.find("\r", pos)
        lf = text.find("\n", pos)
        if lf != -1 and (cr == -1 or lf < cr):
            raise Problem(lineno, "line ends with a bare LF (CRLF needed)")
        if cr == -1:
            raise Problem(lineno, "the last line does not end with CRLF")
        if cr + 1 >= len(text) or text[cr + 1] != "\n":
            raise Problem(lineno, "bare CR inside a line (CRLF needed)")
        line = text[pos:cr]
        octets = len(line.encode("utf-8"))
        if octets > MAX_OCTETS:
            raise Problem(lineno, f"line is {octets} octets long (at most {MAX_OCTETS} before CRLF)")
        lines.append((lineno, line))
        lineno += 1
        pos = cr + 2
    return lines


def unfold(lines):
    """Joins continuation lines (RFC 5545 3.1): yields (lineno, logical line)."""
    logical = []
    for lineno, line in lines:
        if line == "":
            raise Problem(lineno, "empty line")
        if line[0] in " \t":
            if not logical:
                raise Problem(lineno, "the first line is a continuation line")
            rest = line[1:]
            if rest == "":
                raise Problem(lineno, "continuation line with nothing after the space")
            logical[-1][1].append(rest)
        else:
            logical.append((lineno, [line]))
    return [(lineno, "".join(parts)) for lineno, parts in logical]


def parse_content_line(lineno, line):
    """NAME *(";" param) ":" VALUE, with quoted parameter values (RFC 5545 3.1)."""
    m = NAME_RE.match(line)
    if not m:
        raise Problem(lineno, f"no property name at the start of {line[:30]!r}")
    name = m.group(0).upper()
    pos = m.end()
    if pos < len(line) and line[pos] not in ";:":
        raise Problem(lineno, f"bad property name {line[:pos + 1]!r}")
    params = {}
    while pos < len(line) and line[pos] == ";":
        m = NAME_RE.match(line, pos + 1)
        if not m:
            raise Problem(lineno, f"{name}: bad parameter name")
        pname = m.group(0).upper()
        pos = m.end()
        if pos >= len(line) or line[pos] != "=":
            raise Problem(lineno, f"{name}: parameter {pname} has no '='")
        values = []
        while True:
            pos += 1  # past '=' or ','
            if pos < len(line) and line[pos] == '"':
                end = line.find('"', pos + 1)
                if end == -1:
                    raise Problem(lineno, f"{name}: unterminated quoted value of {pname}")
                values.append(line[pos + 1:end])
                pos = end + 1
            else:
                start = pos
                while pos < len(line) and line[pos] not in ';:,"':
                    pos += 1
                values.append(line[start:pos])
            if pos < len(line) and line[pos] == ",":
                continue
            break
        if pname in params:
            raise Problem(lineno, f"{name}: parameter {pname} given twice")
        params[pname] = values
    if pos >= len(line) or line[pos] != ":":
        raise Problem(lineno, f"{name}: expected ':' after the name and parameters")
    value = line[pos + 1:]
    if CONTROL_RE.search(line):
        raise Problem(lineno, f"{name}: control character in the line")
    return ContentLine(lineno, name, params, value)


def build_tree(content):
    """Nests BEGIN/END into components; the file is exactly one VCALENDAR."""
    if not content:
        raise Problem(1, "no content lines")
    first = content[0]
    if first.name != "BEGIN" or first.value.upper() != "VCALENDAR":
        raise Problem(first.lineno, "the file must start with BEGIN:VCALENDAR")
    root = None
    stack = []
    for cl in content:
        if root is not None and not stack:
            raise Problem(cl.lineno, "content after END:VCALENDAR")
        if cl.name == "BEGIN":
            comp_name = cl.value.upper()
            if not NAME_RE.fullmatch(comp_name):
                raise Problem(cl.lineno, f"bad component name {cl.value!r}")
            comp = Component(cl.lineno, comp_name)
            if stack:
                stack[-1].children.append(comp)
            else:
                root = comp
            stack.append(comp)
        elif cl.name == "END":
            if not stack:
                raise Problem(cl.lineno, f"END:{cl.value} without BEGIN")
            if cl.value.upper() != stack[-1].name:
                raise Problem(cl.lineno, f"END:{cl.value} closes BEGIN:{stack[-1].name} "
                                         f"of line {stack[-1].lineno}")
            stack.pop()
        else:
            stack[-1].props.append(cl)
    if stack:
        raise Problem(content[-1].lineno, f"BEGIN:{stack[-1].name} of line {stack[-1].lineno} "
                                          "is never ended (the file must end with END:VCALENDAR)")
    return root


def days_in_month(year, month):
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def check_date_value(prop):
    """DATE with VALUE=DATE, otherwise a UTC DATE-TIME; returns a comparable key."""
    value_type = [v.upper() for v in prop.params.get("VALUE", ["DATE-TIME"])]
    if value_type == ["DATE"]:
        m = DATE_RE.fullmatch(prop.value)
        if not m:
            raise Problem(prop.lineno, f"{prop.name}: {prop.value!r} is not a DATE (YYYYMMDD)")
        y, mo, d = (int(g) for g in m.groups())
        h = mi = s = 0
    elif value_type == ["DATE-TIME"]:
        if "TZID" in prop.params:
            raise Problem(prop.lineno, f"{prop.name}: TZID given, UTC (…Z) expected")
        m = UTC_RE.fullmatch(prop.value)
        if not m:
            raise Problem(prop.lineno, f"{prop.name}: {prop.value!r} is not a UTC DATE-TIME "
                                       "(YYYYMMDDTHHMMSSZ)")
        y, mo, d, h, mi, s = (int(g) for g in m.groups())
    else:
        raise Problem(prop.lineno, f"{prop.name}: VALUE={','.join(value_type)} is not DATE "
                                   "or DATE-TIME")
    if not (1 <= mo <= 12 and 1 <= d <= days_in_month(y, mo) and h <= 23 and mi <= 59 and s <= 60):
        raise Problem(prop.lineno, f"{prop.name}: {prop.value!r} is not a real date and time")
    return value_type[0], (y, mo, d, h, mi, s)


def check_calendar(root):
    if root.name != "VCALENDAR":
        raise Problem(root.lineno, "the file must start with BEGIN:VCALENDAR")
    for name in ("VERSION", "PRODID"):
        found = root.all(name)
        if len(found) != 1:
            where = found[1].lineno if found else root.lineno
            raise Problem(where, f"VCALENDAR needs exactly one {name} (has {len(found)})")
    version = root.all("VERSION")[0]
    if version.value != "2.0":
        raise Problem(version.lineno, f"VERSION is {version.value!r}, expected 2.0")
    if root.all("PRODID")[0].value == "":
        raise Problem(root.all("PRODID")[0].lineno, "PRODID is empty")

    uids = {}
    events = [c for c in root.children if c.name == "VEVENT"]
    for event in events:
        for name in EVENT_REQUIRED:
            count = len(event.all(name))
            if count != 1:
                where = event.all(name)[1].lineno if count else event.lineno
                raise Problem(where, f"VEVENT needs exactly one {name} (has {count})")
        for name in EVENT_ONCE:
            found = event.all(name)
            if len(found) > 1:
                raise Problem(found[1].lineno, f"VEVENT has {name} more than once")
        if event.all("DTEND") and event.all("DURATION"):
            raise Problem(event.all("DURATION")[0].lineno, "VEVENT has both DTEND and DURATION")

        stamp = event.all("DTSTAMP")[0]
        if check_date_value(stamp)[0] != "DATE-TIME":
            raise Problem(stamp.lineno, "DTSTAMP must be a UTC DATE-TIME")
        start_type, start = check_date_value(event.all("DTSTART")[0])
        if event.all("DTEND"):
            dtend = event.all("DTEND")[0]
            end_type, end = check_date_value(dtend)
            if end_type != start_type:
                raise Problem(dtend.lineno, "DTEND and DTSTART are not of the same value type")
            if end <= start:
                raise Problem(dtend.lineno, "DTEND is not after DTSTART")

        uid = event.all("UID")[0]
        if uid.value == "":
            raise Problem(uid.lineno, "UID is empty")
        if uid.value in uids:
            raise Problem(uid.lineno, f"UID {uid.value!r} already used on line {uids[uid.value]}")
        uids[uid.value] = uid.lineno

        for alarm in event.children:
            if alarm.name != "VALARM":
                continue
            for name in ("ACTION", "TRIGGER"):
                if len(alarm.all(name)) != 1:
                    raise Problem(alarm.lineno, f"VALARM needs exactly one {name}")
            action = alarm.all("ACTION")[0].value.upper()
            if action == "DISPLAY" and len(alarm.all("DESCRIPTION")) != 1:
                raise Problem(alarm.lineno, "DISPLAY VALARM needs exactly one DESCRIPTION")
    return events


def check_with_icalendar(text, events):
    """Parses with the icalendar module, when it is installed, as an app would."""
    try:
        import icalendar  # noqa: PLC0415 (optional dependency)
    except ImportError:
        return
    try:
        cal = icalendar.Calendar.from_ical(text)
    except Exception as e:  # noqa: BLE001 (any parse failure is a problem)
        raise Problem(1, f"icalendar cannot parse the file: {e}")
    parsed = list(cal.walk("VEVENT"))
    if len(parsed) != len(events):
        raise Problem(1, f"icalendar finds {len(parsed)} events, expected {len(events)}")
    for event, hand in zip(parsed, events):
        for name in ("UID", "DTSTART", "SUMMARY"):
            if event.get(name) is None:
                raise Problem(hand.lineno, f"icalendar: VEVENT has no {name}")
        errors = getattr(event, "errors", None)
        if errors:
            raise Problem(hand.lineno, f"icalendar: {errors}")


def check(data):
    """Returns the number of events, or raises Problem."""
    lines = physical_lines(data)
    content = [parse_content_line(lineno, line) for lineno, line in unfold(lines)]
    root = build_tree(content)
    events = check_calendar(root)
    check_with_icalendar(data, events)
    return len(events)


def main(argv):
    args = argv[1:]
    verbose = False
    if "-v" in args:
        verbose = True
        args = [a for a in args if a != "-v"]
    if len(args) != 1 or (args[0].startswith("-") and args[0] != "-"):
        print("usage: check_ics.py [-v] FILE   (FILE - reads stdin)", file=sys.stderr)
        return 2
    path = args[0]
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as f:
                data = f.read()
    except OSError as e:
        print(f"check_ics: {path}: {e.strerror}", file=sys.stderr)
        return 2
    try:
        count = check(data)
    except Problem as p:
        print(f"check_ics: line {p.line}: {p.message}", file=sys.stderr)
        return 1
    if verbose:
        print(f"{count} events")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
