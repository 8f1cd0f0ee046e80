#!/usr/bin/env python3
"""Compares the vCards crm exported with the cards they were imported from, read
with vobject (an independent vCard parser), not with crm's own reader.

  check_vcard.py SOURCE.vcf EXPORTED.vcf VERSION

For every card of SOURCE that has a name, the card of EXPORTED with the same FN
must hold the same N parts, emails, phones, addresses, organisations, URLs,
categories and photos, with their home/work/cell/fax/pager types, the preferred
email first and preferred, and item groups (item3.URL with item3.X-ABLabel)
together. Every exported card must be VERSION (3.0 or 4.0) with one FN, one N
and one UID, and no property a second time. Prints "ok: N cards" or each
difference, one a line, and exits 1.

SOURCE is read the way real files are written (UTF-16, quoted-printable in any
CHARSET, windows-1252, 2.1 bare parameters, lines without ':'), rewritten as
plain 3.0 lines first, since vobject reads none of that; EXPORTED is given to
vobject as it is.
"""
import base64
import binascii
import logging
import quopri
import re
import sys
import unicodedata

import vobject

KINDS = {"home": "home", "work": "work", "cell": "cell", "mobile": "cell", "iphone": "cell", "fax": "fax",
         "homefax": "fax", "workfax": "fax", "pager": "pager", "main": "main", "other": "other"}


# --- the source, as programs write it ------------------------------------------

def physical_lines(raw):
    if raw[:2] in (b"\xfe\xff", b"\xff\xfe"):
        raw = raw.decode("utf-16").encode("utf-8")
    elif len(raw) > 1 and raw[0] == 0:
        raw = raw.decode("utf-16-be").encode("utf-8")
    elif len(raw) > 1 and raw[1] == 0:
        raw = raw.decode("utf-16-le").encode("utf-8")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return re.split(rb"\r\r\n|\r\n|\r|\n", raw)


def split_head(line):
    quoted = False
    for i, c in enumerate(line):
        if c == ord('"'):
            quoted = not quoted
        elif c == ord(":") and not quoted:
            return line[:i], line[i + 1:]
    return None, line


def to_text(data, charset):
    if charset and charset.upper().replace("-", "") == "UTF8":
        return data.decode("utf-8", errors="replace")  # bad bytes as U+FFFD, as crm does
    for cs in ([charset] if charset else []) + ["utf-8"]:
        try:
            return data.decode(cs)
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("cp1252", errors="replace")


def plain_lines(raw):
    """The source's content lines as UTF-8 3.0 lines vobject can read."""
    lines = physical_lines(raw)
    logical = []
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        head, _ = split_head(line)
        qp = head is not None and b"QUOTED-PRINTABLE" in head.upper()
        while i < len(lines):
            nxt = lines[i]
            if qp and line.endswith(b"=") and not nxt.strip().upper().startswith((b"BEGIN:", b"END:")):
                line = line[:-1] + nxt
            elif nxt[:1] in (b" ", b"\t"):
                line += nxt[1:]
            else:
                break
            i += 1
        logical.append(line)
    out = []
    for line in logical:
        if not line.strip():
            continue
        head, value = split_head(line)
        if head is None:
            word = line.strip().decode("utf-8", "replace")
            if re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", word) and word.upper() not in ("BEGIN", "END"):
                out.append(word + ":")
            elif out and not out[-1].upper().startswith(("BEGIN:", "END:")):
                out[-1] += "\\n" + to_text(line, None)
            continue
        params = head.decode("utf-8", "replace").split(";")
        name, kept, charset, encoding = params[0], [], None, None
        for p in params[1:]:
            if not p:
                continue
            key, _, val = p.partition("=")
            if not _:
                key, val = ("ENCODING", p) if p.upper() in ("QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT") else ("TYPE", p)
            if key.upper() == "CHARSET":
                charset = val
            elif key.upper() == "ENCODING":
                encoding = val.upper()
                if encoding in ("BASE64", "B"):
                    kept.append("ENCODING=b")
            else:
                kept.append(f"{key}={val}")
        if encoding == "QUOTED-PRINTABLE":
            text = to_text(quopri.decodestring(value), charset)
            text = text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
        elif encoding in ("BASE64", "B"):
            text = re.sub(r"\s+", "", value.decode("ascii", "replace"))
            try:
                base64.b64decode(text, validate=True)
            except (binascii.Error, ValueError):
                continue  # vobject cannot read it; crm skips it with a warning
        else:
            text = to_text(value, charset)
        if name.upper() == "FN":
            # One name, its commas unescaped as most programs write it (vobject
            # would take the text up to the first comma).
            text = re.sub(r"(?<!\\),", r"\,", text)
        out.append(";".join([name] + kept) + ":" + text)
    return out


def read_source(path):
    # Lines vobject cannot read (LABEL,TYPE=HOME) are skipped quietly: crm's reading of them is not vobject's.
    logging.getLogger("vobject.base").setLevel(logging.CRITICAL)
    text = "\r\n".join(plain_lines(open(path, "rb").read())) + "\r\n"
    return list(vobject.readComponents(text, ignoreUnreadable=True))


# --- what a card holds ------------------------------------------------------------

def norm(s):
    if isinstance(s, (list, tuple)):
        s = ",".join(s)
    return " ".join(unicodedata.normalize("NFC", str(s)).replace(",", " ").split())


def lines_of(card, name):
    return [l for l in card.getChildren() if l.name == name]


def ablabel(card, line):
    if not line.group:
        return None
    for l in card.getChildren():
        if l.name == "X-ABLABEL" and l.group and l.group.lower() == line.group.lower():
            return norm(l.value)
    return None


# Types that say how a value is used, not what kind it is: no label.
NOT_KINDS = {"pref", "voice", "internet", "x400", "msg", "text", "postal", "parcel", "dom", "intl", "uri", ""}


def kinds(card, line):
    out = set()
    for t in line.params.get("TYPE", []):
        for part in t.split(","):
            word = part.strip().lower()
            if word not in NOT_KINDS:
                out.add(KINDS.get(word, word))
    label = ablabel(card, line)
    if label:
        m = re.fullmatch(r"_\$!<(.*)>!\$_", label)
        word = m.group(1).lower() if m else label.lower()
        out.add(KINDS.get(word, word))
    return frozenset(out)


def is_pref(line):
    return "PREF" in line.params or any(t.strip().lower() == "pref" for v in line.params.get("TYPE", [])
                                        for t in v.split(","))


def text_value(line):
    v = line.value
    return norm(v) if isinstance(v, str) else norm(str(v))


def emails(card):
    out = {}
    for l in lines_of(card, "EMAIL"):
        a = text_value(l)
        if a.lower().startswith("mailto:"):
            a = a[7:]
        if a:
            out.setdefault(a.lower(), kinds(card, l))
    return out


def phones(card):
    out = {}
    for l in lines_of(card, "TEL"):
        n = text_value(l)
        if n.lower().startswith("tel:"):
            n = n[4:]
        if n:
            out.setdefault(n, kinds(card, l))
    return out


def address_parts(line):
    v = line.value
    if isinstance(v, str):
        return (norm(v),)
    parts = (v.box, v.extended, v.street, v.city, v.region, v.code, v.country)
    # Programs split the street from the extended address differently.
    return (norm(parts[0]), norm(" ".join(norm(p) for p in parts[1:3] if norm(p))), *(norm(p) for p in parts[3:]))


def addresses(card):
    out = {}
    for l in lines_of(card, "ADR"):
        parts = address_parts(l)
        if any(parts):
            out.setdefault(parts, (kinds(card, l), ablabel(card, l)))
    return out


def orgs(card):
    out = set()
    for l in lines_of(card, "ORG"):
        v = l.value if isinstance(l.value, list) else [l.value]
        parts = tuple(norm(p) for p in v)
        while parts and not parts[-1]:
            parts = parts[:-1]
        if parts:
            out.add(parts)
    return out


def urls(card):
    out = {}
    for l in lines_of(card, "URL"):
        u = norm(l.value).replace("\\:", ":")
        if u:
            out.setdefault(u, (kinds(card, l), ablabel(card, l)))
    return out


def categories(card):
    out = set()
    for l in lines_of(card, "CATEGORIES"):
        # Split on every comma: programs escape the separators too.
        for value in (l.value if isinstance(l.value, list) else [str(l.value)]):
            for c in value.split(","):
                if norm(c):
                    out.add(norm(c))
    return out


def photos(card, raw_values=None):
    out = set()
    for i, l in enumerate(lines_of(card, "PHOTO")):
        v = l.value
        # vobject cuts a value at its first comma: a data: URI is read again untransformed.
        if raw_values and isinstance(v, str) and v.lower().startswith("data:"):
            v = raw_values[i]
        if isinstance(v, bytes):
            out.add(v)
            continue
        v = v.strip()
        try:
            if v.lower().startswith("data:") and ";base64," in v.lower():
                out.add(base64.b64decode(v[v.lower().index(";base64,") + 8:] + "=="))
            elif re.match(r"[a-z][a-z0-9+.-]*:", v, re.I):
                out.add(v)  # a URL
            elif v:
                out.add(base64.b64decode(re.sub(r"\s+", "", v) + "=="))
        except (binascii.Error, ValueError):
            pass
    return out


def n_parts(card):
    ns = lines_of(card, "N")
    if not ns or isinstance(ns[0].value, str):
        return None
    n = ns[0].value
    return tuple(norm(p) for p in (n.family, n.given, n.additional, n.prefix, n.suffix))


def name_of(card):
    fn = lines_of(card, "FN")
    if fn and text_value(fn[0]):
        return text_value(fn[0])
    n = n_parts(card)
    if n and (n[1] or n[0]):
        return norm(" ".join(p for p in (n[1], n[0]) if p))
    if orgs(card):
        return sorted(orgs(card))[0][0]
    e = [text_value(l) for l in lines_of(card, "EMAIL") if text_value(l)]
    return e[0] if e else None


def photo_is_image(data):
    return isinstance(data, bytes) and (data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n"
                                        or data[:4] == b"GIF8" or data[:2] == b"BM" or data[8:12] == b"WEBP")


# --- the comparison -----------------------------------------------------------------

def check_exported(card, version, problems, where):
    got = card.version.value if hasattr(card, "version") else None
    if got != version:
        problems.append(f"{where}: VERSION is not {version}")
    for name in ("FN", "N", "UID"):
        if len(lines_of(card, name)) != 1:
            problems.append(f"{where}: {len(lines_of(card, name))} {name} lines, want 1")
    groups = {}
    for l in card.getChildren():
        if l.group:
            groups.setdefault(l.group.lower(), []).append(l.name)
    for g, names in groups.items():
        if names == ["X-ABLABEL"]:
            problems.append(f"{where}: X-ABLabel of group {g} labels nothing")
    for l in card.getChildren():
        if "QUOTED-PRINTABLE" in str(l.params).upper():
            problems.append(f"{where}: {l.name} is quoted-printable")
        if version == "4.0" and "ENCODING" in l.params:
            problems.append(f"{where}: {l.name} has ENCODING in 4.0")


def compare(src, out, out_raw, problems, where, merged=False):
    def same(what, a, b):
        # A card import merged with another (same phone or email): its phones are
        # among the exported ones (what else it held is the update's to decide).
        if merged and what == "phones":
            if isinstance(a, dict):
                a = set(a)
                b = set(b)
            if not a <= b:
                problems.append(f"{where}: {what}: {sorted(a - b)} not exported")
            return
        if merged:
            return
        if a != b:
            problems.append(f"{where}: {what}: source {sorted(a) if isinstance(a, (set, dict)) else a!r}, "
                            f"exported {sorted(b) if isinstance(b, (set, dict)) else b!r}")

    n = n_parts(src)
    if n and any(n):
        same("N", n, n_parts(out))
    same("emails", emails(src), emails(out))
    same("phones", set(phones(src)), set(phones(out)))
    for number, k in phones(src).items():
        if number in phones(out):
            same(f"types of phone {number}", k, phones(out)[number])
    same("addresses", addresses(src), addresses(out))
    same("organisations", orgs(src), orgs(out))
    same("urls", urls(src), urls(out))
    same("categories", categories(src), categories(out))
    src_photos = {p for p in photos(src) if not isinstance(p, bytes) or photo_is_image(p)}
    same("photos", src_photos, photos(out, out_raw))
    prefs = [text_value(l).lower() for l in lines_of(src, "EMAIL") if is_pref(l)]
    out_emails = lines_of(out, "EMAIL")
    if not merged and prefs and (not out_emails or text_value(out_emails[0]).lower() != prefs[0] or not is_pref(out_emails[0])):
        problems.append(f"{where}: the preferred email {prefs[0]} is not first and preferred")
    for name in ("ORG", "ADR", "TEL", "EMAIL", "URL", "N", "PHOTO", "CATEGORIES"):
        if not merged and len(lines_of(out, name)) > max(1, len(lines_of(src, name))):
            problems.append(f"{where}: {len(lines_of(out, name))} {name} lines from {len(lines_of(src, name))}")


def main():
    source, exported, version = sys.argv[1:4]
    problems = []
    exported_text = open(exported, encoding="utf-8", newline="").read()
    out_cards = list(vobject.readComponents(exported_text))
    # vobject's vCard reading cuts a value at its first comma, a 4.0 data: URI too:
    # each card's PHOTO values as vobject's line parser reads them.
    unfolded = re.sub(r"\r\n[ \t]", "", exported_text)
    raw_cards = [[vobject.base.parseLine(l)[2] for l in chunk.split("\r\n")
                  if l.upper().startswith("PHOTO") and vobject.base.parseLine(l)[0].upper() == "PHOTO"]
                 for chunk in unfolded.split("BEGIN:VCARD\r\n")[1:]]
    for i, card in enumerate(out_cards):
        check_exported(card, version, problems, f"exported card {i + 1}")
    by_name = {}
    for card, raw in zip(out_cards, raw_cards):
        by_name.setdefault(text_value(lines_of(card, "FN")[0]) if lines_of(card, "FN") else "", []).append((card, raw))
    compared = 0
    everything = [c for cs in by_name.values() for c in cs]
    shared = lambda c, card: len(set(emails(c[0])) & set(emails(card))) + len(set(phones(c[0])) & set(phones(card)))
    matches = []
    for i, card in enumerate(read_source(source)):
        name = name_of(card)
        if not name:
            continue
        where = f"card {i + 1} ({name})"
        # The card of that name (of several, the one sharing the most emails and
        # phones); else the card import merged it into, sharing an email or phone.
        candidates = by_name.get(norm(name), []) or [c for c in everything if shared(c, card)]
        if not candidates:
            problems.append(f"{where}: not exported")
            continue
        matches.append((card, max(candidates, key=lambda c: shared(c, card)), where))
    for card, best, where in matches:
        merged = sum(1 for _, b, _ in matches if b is best) > 1
        compare(card, best[0], best[1], problems, where, merged)
        compared += 1
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(f"ok: {compared} cards")


if __name__ == "__main__":
    main()
