#!/usr/bin/env python3
"""Generate a deterministic, multilingual set of contact files for benchmarks.

    gen_contacts.py WORKSPACE_DIR N [--seed S] [--csv FILE]

Writes N files WORKSPACE_DIR/contacts/<id>.yaml in the layout crm writes (keys in
a fixed order, NFC UTF-8) and, with --csv, the same rows as a CSV
(id,name,email,phone,city,country,stage,tags) for the sqlite3 import floor.
Same arguments -> byte-identical output: everything is drawn from one
random.Random(seed) in a fixed order, and nothing iterates over a set or dict
whose order could change between runs.
"""

import argparse
import bisect
import csv
import itertools
import os
import random
import re
import sys
import unicodedata

SUFFIX_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
STAGES = ["lead", "prospect", "customer", "inactive", "lost"]
STAGE_CUM = [30, 50, 80, 92]  # weights 30, 20, 30, 12, 8 (percent)
TAGS = ["vip", "newsletter", "wholesale", "referral", "b2b", "event-2025", "returning"]

# Each culture: given names and family names as (native, ascii) pairs; the ascii
# form only feeds email local parts, which stay ASCII. Places are
# (city, country, phone country code, national-number pattern with '#' digits,
# grouping of the displayed number, UTC offset, work email domain).
# Names joined family-first with no space (Chinese) set "order": "fg".
CULTURES = [
    {
        "key": "ro",
        "given": [("Ana", "ana"), ("Ștefan", "stefan"), ("Ioana", "ioana"),
                  ("Mihai", "mihai"), ("Cătălina", "catalina"), ("Răzvan", "razvan"),
                  ("Ionuț", "ionut"), ("Elena", "elena"), ("Andreea", "andreea"),
                  ("Bogdan", "bogdan"), ("Alexandru", "alexandru"), ("Mădălina", "madalina")],
        "family": [("Popescu", "popescu"), ("Țăranu", "taranu"),
                   ("Ștefănescu", "stefanescu"), ("Mureșan", "muresan"),
                   ("Răducanu", "raducanu"), ("Pîrvu", "pirvu"), ("Bălan", "balan"),
                   ("Cîrstea", "cirstea"), ("Ionescu", "ionescu"), ("Dumitrașcu", "dumitrascu"),
                   ("Tîrnoveanu", "tirnoveanu"), ("Moldovan", "moldovan")],
        "places": [("Cluj-Napoca", "RO", "40", "7########", (3, 3, 3), "+02:00", "example.ro"),
                   ("București", "RO", "40", "7########", (3, 3, 3), "+02:00", "example.ro"),
                   ("Iași", "RO", "40", "7########", (3, 3, 3), "+02:00", "example.ro"),
                   ("Timișoara", "RO", "40", "7########", (3, 3, 3), "+02:00", "example.ro"),
                   ("Brașov", "RO", "40", "2########", (3, 3, 3), "+02:00", "example.ro"),
                   ("Constanța", "RO", "40", "7########", (3, 3, 3), "+02:00", "example.ro")],
    },
    {
        "key": "cy",
        "given": [("Siân", "sian"), ("Gwenllïan", "gwenllian"), ("Dafydd", "dafydd"),
                  ("Rhys", "rhys"), ("Ffion", "ffion"), ("Llŷr", "llyr"),
                  ("Ieuan", "ieuan"), ("Angharad", "angharad"), ("Gethin", "gethin"),
                  ("Elin", "elin"), ("Rhiannon", "rhiannon"), ("Owain", "owain")],
        "family": [("Jones", "jones"), ("Williams", "williams"), ("Evans", "evans"),
                   ("ap Gruffydd", "apgruffydd"), ("Llywelyn", "llywelyn"), ("Prys", "prys"),
                   ("Hughes", "hughes"), ("Morgan", "morgan"), ("Pritchard", "pritchard"),
                   ("Griffiths", "griffiths"), ("Powell", "powell"), ("Rhydderch", "rhydderch")],
        "places": [("Caerdydd", "GB", "44", "7#########", (4, 6), "+00:00", "example.co.uk"),
                   ("Abertawe", "GB", "44", "7#########", (4, 6), "+00:00", "example.co.uk"),
                   ("Aberystwyth", "GB", "44", "1970######", (4, 6), "+00:00", "example.cymru"),
                   ("Bangor", "GB", "44", "7#########", (4, 6), "+00:00", "example.cymru"),
                   ("Caernarfon", "GB", "44", "1286######", (4, 6), "+00:00", "example.cymru")],
    },
    {
        "key": "uk",
        "given": [("Олександр", "oleksandr"), ("Тарас", "taras"), ("Оксана", "oksana"),
                  ("Ірина", "iryna"), ("Богдан", "bohdan"), ("Наталія", "nataliia"),
                  ("Юлія", "yuliia"), ("Дмитро", "dmytro"), ("Андрій", "andrii"),
                  ("Софія", "sofiia"), ("Євген", "yevhen"), ("Олена", "olena")],
        "family": [("Шевченко", "shevchenko"), ("Коваленко", "kovalenko"),
                   ("Бондаренко", "bondarenko"), ("Ткаченко", "tkachenko"),
                   ("Кравченко", "kravchenko"), ("Мельник", "melnyk"), ("Олійник", "oliinyk"),
                   ("Лисенко", "lysenko"), ("Гончаренко", "honcharenko"),
                   ("Руденко", "rudenko"), ("Савчук", "savchuk"), ("Їжакевич", "yizhakevych")],
        "places": [("Київ", "UA", "380", "67#######", (2, 3, 2, 2), "+02:00", "example.com.ua"),
                   ("Львів", "UA", "380", "50#######", (2, 3, 2, 2), "+02:00", "example.com.ua"),
                   ("Харків", "UA", "380", "93#######", (2, 3, 2, 2), "+02:00", "example.com.ua"),
                   ("Одеса", "UA", "380", "48#######", (2, 3, 2, 2), "+02:00", "example.com.ua"),
                   ("Дніпро", "UA", "380", "56#######", (2, 3, 2, 2), "+02:00", "example.com.ua")],
    },
    {
        "key": "ar",
        "given": [("محمد", "mohamed"), ("فاطمة", "fatima"), ("أحمد", "ahmed"),
                  ("ليلى", "layla"), ("يوسف", "youssef"), ("مريم", "maryam"),
                  ("عمر", "omar"), ("نور", "nour"), ("خالد", "khaled"),
                  ("سلمى", "salma"), ("إبراهيم", "ibrahim"), ("هدى", "huda")],
        "family": [("العلي", "alali"), ("حداد", "haddad"), ("الخطيب", "alkhatib"),
                   ("منصور", "mansour"), ("الشامي", "alshami"), ("ناصر", "nasser"),
                   ("عبد الله", "abdullah"), ("المصري", "almasri"), ("سليمان", "suleiman"),
                   ("الحسن", "alhassan"), ("يعقوب", "yacoub"), ("عثمان", "othman")],
        "places": [("القاهرة", "EG", "20", "10########", (2, 4, 4), "+02:00", "example.com.eg"),
                   ("الإسكندرية", "EG", "20", "12########", (2, 4, 4), "+02:00", "example.com.eg"),
                   ("عمان", "JO", "962", "79#######", (1, 4, 4), "+03:00", "example.jo"),
                   ("بيروت", "LB", "961", "3######", (1, 3, 3), "+02:00", "example.com.lb"),
                   ("الرياض", "SA", "966", "5########", (2, 3, 4), "+03:00", "example.sa"),
                   ("دبي", "AE", "971", "50#######", (2, 3, 4), "+04:00", "example.ae")],
    },
    {
        "key": "fa",
        "given": [("علی", "ali"), ("مریم", "maryam"), ("کاوه", "kaveh"),
                  ("نیلوفر", "niloufar"), ("یاسمین", "yasmin"), ("کوروش", "kourosh"),
                  ("زهرا", "zahra"), ("مهدی", "mehdi"), ("شیرین", "shirin"),
                  ("کیان", "kian"), ("پریسا", "parisa"), ("سیاوش", "siavash")],
        "family": [("کریمی", "karimi"), ("رضایی", "rezaei"), ("حسینی", "hosseini"),
                   ("احمدی", "ahmadi"), ("موسوی", "mousavi"), ("کاظمی", "kazemi"),
                   ("یزدانی", "yazdani"), ("کیانی", "kiani"), ("نیکپور", "nikpour"),
                   ("صادقی", "sadeghi"), ("مرادی", "moradi"), ("شکیبا", "shakiba")],
        "places": [("تهران", "IR", "98", "912#######", (3, 3, 4), "+03:30", "example.ir"),
                   ("اصفهان", "IR", "98", "913#######", (3, 3, 4), "+03:30", "example.ir"),
                   ("شیراز", "IR", "98", "917#######", (3, 3, 4), "+03:30", "example.ir"),
                   ("تبریز", "IR", "98", "914#######", (3, 3, 4), "+03:30", "example.ir"),
                   ("مشهد", "IR", "98", "915#######", (3, 3, 4), "+03:30", "example.ir"),
                   ("کرمان", "IR", "98", "913#######", (3, 3, 4), "+03:30", "example.ir")],
    },
    {
        "key": "zh",
        "order": "fg",
        "given": [("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"),
                  ("静", "jing"), ("磊", "lei"), ("秀英", "xiuying"), ("建华", "jianhua"),
                  ("晓明", "xiaoming"), ("丽", "li"), ("强", "qiang"), ("婷婷", "tingting")],
        "family": [("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"),
                   ("陈", "chen"), ("杨", "yang"), ("黄", "huang"), ("赵", "zhao"),
                   ("吴", "wu"), ("周", "zhou"), ("欧阳", "ouyang"), ("孙", "sun")],
        "places": [("北京", "CN", "86", "139########", (3, 4, 4), "+08:00", "example.cn"),
                   ("上海", "CN", "86", "138########", (3, 4, 4), "+08:00", "example.cn"),
                   ("广州", "CN", "86", "135########", (3, 4, 4), "+08:00", "example.cn"),
                   ("深圳", "CN", "86", "186########", (3, 4, 4), "+08:00", "example.cn"),
                   ("成都", "CN", "86", "158########", (3, 4, 4), "+08:00", "example.cn"),
                   ("台北", "TW", "886", "9########", (3, 3, 3), "+08:00", "example.tw")],
    },
    {
        "key": "el",
        # Greek family names agree with the given name's gender: (male, female).
        "given_g": [("Γιώργος", "giorgos", 0), ("Μαρία", "maria", 1),
                    ("Δημήτρης", "dimitris", 0), ("Ελένη", "eleni", 1),
                    ("Νίκος", "nikos", 0), ("Κατερίνα", "katerina", 1),
                    ("Σοφία", "sofia", 1), ("Αλέξανδρος", "alexandros", 0),
                    ("Χρήστος", "christos", 0), ("Αθηνά", "athina", 1),
                    ("Παναγιώτης", "panagiotis", 0), ("Δέσποινα", "despoina", 1)],
        "family_g": [(("Παπαδόπουλος", "Παπαδοπούλου"), "papadopoulos"),
                     (("Οικονόμου", "Οικονόμου"), "oikonomou"),
                     (("Γεωργίου", "Γεωργίου"), "georgiou"),
                     (("Νικολάου", "Νικολάου"), "nikolaou"),
                     (("Καραγιάννης", "Καραγιάννη"), "karagiannis"),
                     (("Βλάχος", "Βλάχου"), "vlachos"),
                     (("Αντωνίου", "Αντωνίου"), "antoniou"),
                     (("Μαυρίδης", "Μαυρίδου"), "mavridis"),
                     (("Σταματόπουλος", "Σταματοπούλου"), "stamatopoulos"),
                     (("Ζαχαρίου", "Ζαχαρίου"), "zachariou")],
        "places": [("Αθήνα", "GR", "30", "69########", (3, 3, 4), "+02:00", "example.gr"),
                   ("Θεσσαλονίκη", "GR", "30", "69########", (3, 3, 4), "+02:00", "example.gr"),
                   ("Πάτρα", "GR", "30", "2610######", (4, 6), "+02:00", "example.gr"),
                   ("Ηράκλειο", "GR", "30", "69########", (3, 3, 4), "+02:00", "example.gr"),
                   ("Λευκωσία", "CY", "357", "99######", (2, 6), "+02:00", "example.com.cy")],
    },
    {
        "key": "en",
        "given": [("Emily", "emily"), ("James", "james"), ("Olivia", "olivia"),
                  ("Jack", "jack"), ("Sophie", "sophie"), ("Thomas", "thomas"),
                  ("Grace", "grace"), ("Daniel", "daniel"), ("Chloe", "chloe"),
                  ("Michael", "michael"), ("Hannah", "hannah"), ("Noah", "noah")],
        "family": [("Smith", "smith"), ("Clarke", "clarke"), ("O'Brien", "obrien"),
                   ("Taylor", "taylor"), ("Brown", "brown"), ("Wilson", "wilson"),
                   ("Johnson", "johnson"), ("Walker", "walker"), ("Wright", "wright"),
                   ("Thompson", "thompson"), ("Murphy", "murphy"), ("Baker-Hughes", "bakerhughes")],
        "places": [("London", "GB", "44", "7#########", (4, 6), "+00:00", "example.co.uk"),
                   ("Manchester", "GB", "44", "161#######", (3, 3, 4), "+00:00", "example.co.uk"),
                   ("Dublin", "IE", "353", "8########", (2, 3, 4), "+00:00", "example.ie"),
                   ("New York", "US", "1", "212555####", (3, 3, 4), "-05:00", "example.com"),
                   ("San Francisco", "US", "1", "415555####", (3, 3, 4), "-08:00", "example.com"),
                   ("Sydney", "AU", "61", "4########", (3, 3, 3), "+10:00", "example.com.au")],
    },
]

PERSONAL_DOMAINS = ["example.org", "example.net", "mail.example.com"]
EMAIL_LABELS_SECOND = ["personal", "home", "other"]
PHONE_LABELS = ["mobile", "work", "home"]
# Dates: days since 2024-01-01 up to 2026-06-30 (912 days).
DAY_SPAN = 912

_NUMBER_RE = re.compile(
    r"^[-+]?(\d[\d_]*)?(\.\d*)?([eE][-+]?\d+)?$|^0[xob][0-9a-fA-F_]+$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$")
_PLAIN_WORDS = {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"}
_LEADING_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")


def _civil_from_days(z):
    """Days since 1970-01-01 -> (y, m, d); Howard Hinnant's algorithm, no datetime."""
    z += 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + (m <= 2), m, d)


EPOCH_2024 = 19723  # 2024-01-01 in days since 1970-01-01
DAY_STRINGS = ["%04d-%02d-%02d" % _civil_from_days(EPOCH_2024 + d) for d in range(DAY_SPAN)]
# Every subset of TAGS by size, in TAGS order, so one draw picks a whole tag list.
TAG_SETS = [[list(t) for t in itertools.combinations(TAGS, n)] for n in range(4)]
PHONE_LABEL_ORDERS = list(itertools.permutations(PHONE_LABELS))


_scalar_cache = {}


def scalar(s):
    """Plain YAML scalar when safe, else double-quoted; numbers and '+...' are quoted."""
    cached = _scalar_cache.get(s)
    if cached is None:
        cached = _scalar_cache[s] = _scalar(s)
    return cached


def unique_scalar(s):
    """scalar() for one-off values (ids, addresses) that would only bloat the cache.
    Ids and addresses generated here start with a letter and hold no ': ' or ' #'."""
    if s[:1].isalpha() and ": " not in s and " #" not in s and not s.endswith(":"):
        return s
    return _scalar(s)


def _scalar(s):
    if (s == "" or s.lower() in _PLAIN_WORDS or s[0] in _LEADING_INDICATORS or s[0] == "+"
            or s != s.strip() or ": " in s or " #" in s or s.endswith(":")
            or any(c in s for c in "\n\t\\\"") or (any(ch.isdigit() for ch in s) and _NUMBER_RE.match(s))):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return s


_slug_cache = {}


def slug(name):
    """Lowercase; Latin letters lose their accents (NFKD, drop combining marks, NFC);
    letters of other scripts are kept as they are; anything else becomes '-'."""
    cached = _slug_cache.get(name)
    if cached is not None:
        return cached
    out = []
    for ch in unicodedata.normalize("NFC", name):
        if ch.isascii() or not unicodedata.name(ch, "").startswith("LATIN"):
            out.append(ch)
        else:
            out.append("".join(c for c in unicodedata.normalize("NFKD", ch)
                               if not unicodedata.combining(c)))
    s = unicodedata.normalize("NFC", "".join(out)).lower()
    s = "".join(c if c.isalnum() else "-" for c in s)
    s = re.sub(r"-+", "-", s).strip("-") or "contact"
    _slug_cache[name] = s
    return s


def phone(rng, place):
    _, _, cc, pattern, groups, _, _ = place
    free = pattern.count("#")
    national = pattern[:len(pattern) - free] + "%0*d" % (free, rng.randrange(10 ** free))
    parts, pos = [], 0
    for g in groups:
        parts.append(national[pos:pos + g])
        pos += g
    return "+" + cc + " " + " ".join(parts), "+" + cc + national


def make_contact(rng, used_ids, used_emails, used_phones):
    # One 128-bit draw feeds all the small choices (about 100 bits are used; the
    # modulo bias is negligible): several times faster than one rng call each.
    r = rng.getrandbits(128)
    r, k = divmod(r, len(CULTURES))
    culture = CULTURES[k]
    if "given_g" in culture:
        r, k = divmod(r, len(culture["given_g"]))
        given, given_ascii, gender = culture["given_g"][k]
        r, k = divmod(r, len(culture["family_g"]))
        forms, family_ascii = culture["family_g"][k]
        family = forms[gender]
    else:
        r, k = divmod(r, len(culture["given"]))
        given, given_ascii = culture["given"][k]
        r, k = divmod(r, len(culture["family"]))
        family, family_ascii = culture["family"][k]
    name = family + given if culture.get("order") == "fg" else given + " " + family
    r, k = divmod(r, len(culture["places"]))
    place = culture["places"][k]

    base = slug(name)
    while True:
        bits = rng.getrandbits(20)  # 4 x 5 bits: the alphabet has 32 letters
        cid = (base + "-" + SUFFIX_ALPHABET[bits & 31] + SUFFIX_ALPHABET[(bits >> 5) & 31]
               + SUFFIX_ALPHABET[(bits >> 10) & 31] + SUFFIX_ALPHABET[bits >> 15])
        if cid not in used_ids:
            used_ids.add(cid)
            break

    # Bases have no digits, so base + counter never collides with another base.
    local = given_ascii + "." + family_ascii
    address = local + "@" + place[6]
    n = used_emails.get(address, 0) + 1
    used_emails[address] = n
    emails = [(address if n == 1 else local + str(n) + "@" + place[6], "work")]
    r, k = divmod(r, 10)
    if k >= 7:  # 30% have a second, personal address
        r, k = divmod(r, len(PERSONAL_DOMAINS) * len(EMAIL_LABELS_SECOND))
        domain = PERSONAL_DOMAINS[k % len(PERSONAL_DOMAINS)]
        local = given_ascii + family_ascii[0]
        address = local + "@" + domain
        n = used_emails.get(address, 0) + 1
        used_emails[address] = n
        emails.append((address if n == 1 else local + str(n) + "@" + domain,
                       EMAIL_LABELS_SECOND[k // len(PERSONAL_DOMAINS)]))

    phones = []
    r, k = divmod(r, 10)
    n_phones = 0 if k < 2 else (1 if k < 8 else 2)
    r, k = divmod(r, len(PHONE_LABEL_ORDERS))
    for label in PHONE_LABEL_ORDERS[k][:n_phones]:
        # Some places draw from 10 000 numbers (US 555 ones): once those are
        # nearly all taken, the contact goes without this phone rather than the
        # generator drawing for ever. Sets up to a few hundred thousand never
        # come near it, so their output is as before.
        for _ in range(200):
            number, e164 = phone(rng, place)
            if e164 not in used_phones:
                used_phones.add(e164)
                phones.append((number, e164, label))
                break

    r, k = divmod(r, 10)
    city = place[0] if k < 9 else ""
    r, k = divmod(r, 100)
    stage = STAGES[bisect.bisect_right(STAGE_CUM, k)]
    r, k = divmod(r, 10)
    n_tags = 0 if k < 4 else (1 if k < 7 else (2 if k < 9 else 3))
    r, k = divmod(r, len(TAG_SETS[n_tags]))
    tags = TAG_SETS[n_tags][k]

    r, day = divmod(r, DAY_SPAN)
    r, k = divmod(r, 2 * DAY_SPAN)
    later = day if k < DAY_SPAN else day + k % (DAY_SPAN - day)  # half updated later
    r, t_created = divmod(r, 11 * 3600)
    r, t_updated = divmod(r, 11 * 3600)
    if later == day:
        t_updated = t_created
    offset = place[5]
    return {
        "id": cid, "name": name, "given_name": given, "family_name": family,
        "emails": emails, "phones": phones, "city": city, "country": place[1],
        "stage": stage, "tags": tags,
        "created": stamp(day, t_created, offset), "updated": stamp(later, t_updated, offset),
    }


def stamp(day, secs, offset):
    """Day index since 2024-01-01 and seconds after 08:00 -> local ISO time with offset."""
    secs += 8 * 3600
    return "%sT%02d:%02d:%02d%s" % (DAY_STRINGS[day], secs // 3600, secs // 60 % 60,
                                    secs % 60, offset)


def render(c):
    """The file text, keys in crm's order, empty keys omitted."""
    lines = ["id: " + unique_scalar(c["id"]), "name: " + scalar(c["name"])]
    if c["given_name"]:
        lines.append("given_name: " + scalar(c["given_name"]))
    if c["family_name"]:
        lines.append("family_name: " + scalar(c["family_name"]))
    if c["emails"]:
        lines.append("emails:")
        for address, label in c["emails"]:
            lines.append("  - address: " + unique_scalar(address))
            lines.append("    label: " + scalar(label))
    if c["phones"]:
        lines.append("phones:")
        for number, e164, label in c["phones"]:
            # Both start with '+' and hold only digits and spaces: always quoted.
            lines.append('  - number: "' + number + '"')
            lines.append('    e164: "' + e164 + '"')
            lines.append("    label: " + scalar(label))
    for key in ("city", "country", "stage"):
        if c[key]:
            lines.append(key + ": " + scalar(c[key]))
    if c["tags"]:
        lines.append("tags:")
        lines.extend("  - " + scalar(t) for t in c["tags"])
    lines.append("created: " + c["created"])
    lines.append("updated: " + c["updated"])
    return unicodedata.normalize("NFC", "\n".join(lines) + "\n")


def main(argv):
    ap = argparse.ArgumentParser(description="Generate N multilingual contact files.")
    ap.add_argument("workspace", help="workspace directory (made by `crm init`)")
    ap.add_argument("n", type=int, help="number of contacts")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--csv", metavar="FILE", help="also write the rows as CSV")
    args = ap.parse_args(argv)
    if args.n < 0:
        ap.error("N must be >= 0")

    rng = random.Random(args.seed)
    folder = os.path.join(args.workspace, "contacts")
    os.makedirs(folder, exist_ok=True)
    used_ids, used_emails, used_phones = set(), {}, set()

    csv_file = writer = None
    if args.csv:
        csv_file = open(args.csv, "w", encoding="utf-8", newline="")
        writer = csv.writer(csv_file, lineterminator="\n")
        writer.writerow(["id", "name", "email", "phone", "city", "country", "stage", "tags"])
    try:
        for _ in range(args.n):
            c = make_contact(rng, used_ids, used_emails, used_phones)
            # os.open/os.write without fsync: about twice as fast as a text-mode
            # open(); the generator only has to be quick and reproducible.
            fd = os.open(os.path.join(folder, c["id"] + ".yaml"),
                         os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            try:
                os.write(fd, render(c).encode("utf-8"))
            finally:
                os.close(fd)
            if writer:
                writer.writerow([c["id"], c["name"], c["emails"][0][0],
                                 c["phones"][0][1] if c["phones"] else "",
                                 c["city"], c["country"], c["stage"], ";".join(c["tags"])])
    finally:
        if csv_file:
            csv_file.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
