#!/usr/bin/env python3
"""Writes a small but varied crm workspace straight as YAML files, for
report_check.py to compute the reports from on its own.

    report_data.py DIR     (DIR must not exist or be empty)

Deterministic (fixed seed, standard library only). About 40 contacts with names in
several scripts, 8 products, ~200 sales over two years (EUR, USD with rates.yaml,
one GBP sale with no rate), discounts, refunds, void sales, sales on credit with
payments, activities (inbound ones from campaigns, stage changes), feedback,
campaigns, lost contacts, leads with sources and tags, and lead_scoring rules.
The files copy the layout `crm` itself writes (checked by `crm doctor`).
"""

import os
import random
import sys
import unicodedata
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

SEED = 20261125
NOW = "2026-11-25T10:00:00+00:00"
TODAY = date(2026, 11, 25)

rng = random.Random(SEED)


def q(s):
    """A YAML scalar, quoted the way crm quotes numbers-as-text and dates."""
    return '"' + s + '"'


def money(d):
    return str(d.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN))


def slug(name):
    # Latin names lose their accents; other scripts are kept as they are (Hangul
    # decomposed by NFKD: those ids and file names are in NFD, which crm reads in NFC).
    s = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return "-".join(s.lower().split())


_used = set()


def suffix():
    while True:
        s = "".join(rng.choice("abcdefghijkmnpqrstuvwxyz23456789") for _ in range(4))
        if s not in _used:
            _used.add(s)
            return s


class Writer:
    def __init__(self, root):
        self.root = root

    def write(self, rel, lines):
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")


CONFIG = """# crm workspace settings: see crm-workspace(5)
currency: EUR
region: ""
index:
  # stat: check every record file (sees in-place edits); dirs: directory mtimes only
  verify: stat
feedback:
  # a follow-up this long after a complaint or return is resolved (off: none)
  check_after: 7d
deals:
  # open pipeline stages in order, each with the chance (percent) to win a deal in it
  stages: {lead: 10, qualified: 25, proposal: 50, negotiation: 75}
loyalty:
  # points per whole unit of the base currency spent (0: no loyalty programme)
  points_per_unit: 0
rfm:
  # priority class by the sum of the recency, frequency and monetary scores (3-15)
  a: 11
  b: 7
churn:
  # slipping away: days since the last purchase above this many times their usual interval
  factor: 1.5
# lead scoring: points for each filter a lead matches (crm report leads)
lead_scoring:
  - {where: "has:email", points: 10}
  - {where: "source = referral", points: 25}
  - {where: "vip", points: 15}
  - {where: "country = \\"DE\\"", points: -5}
"""

GITIGNORE = """# crm: the index and the lock are derived, per clone
.crm/index.sqlite
.crm/index.sqlite-*
.crm/lock
"""

RATES = """USD:
  2024-01-01: 0.91
  2025-03-01: 0.935
  2025-09-15: 0.8875
  2026-02-01: 0.9213
"""

NAMES = [
    "Ana Popescu", "Bogdan Ionescu", "Cătălina Dumitru", "Ștefan Mureșan", "José Núñez",
    "Zoë Müller", "Jürgen Weiß", "Émilie Faure", "Olga Ivanova", "Ана Петрова",
    "Дмитро Коваленко", "Сергей Смирнов", "Γιώργος Παπαδόπουλος", "Ελένη Νικολάου", "王芳",
    "李伟", "佐藤花子", "김민준", "محمد العلي", "فاطمة الزهراء",
    "Liam O'Brien", "Emma Clarke", "Noah Schmidt", "Mia Rossi", "Lucas Martin",
    "Sofia Bianchi", "Ethan Brown", "Isla Walsh", "Mateo García", "Chloé Bernard",
    "Hannah Becker", "Oskar Nowak", "Ingrid Larsen", "Pedro Alves", "Yuki Tanaka",
    "Aarav Sharma", "Nadia Haddad", "Tomás Silva", "Greta Lind", "Viktor Horváth",
    "Lena Fischer", "Marek Dvořák",
]
COUNTRIES = ["RO", "RO", "RO", "DE", "ES", "DE", "DE", "FR", "UA", "UA", "UA", "PL", "GR", "GR", "CN",
             "CN", "JP", "KR", "AE", "AE", "IE", "GB", "DE", "IT", "FR", "IT", "GB", "IE", "ES", "FR",
             "DE", "PL", "NO", "PT", "JP", "IN", "LB", "PT", "SE", "HU", None, "CZ"]
SOURCES = ["web", "referral", "fair", "ads", None]
TAGS = ["vip", "wholesale", "newsletter", "b2b"]
PREFERS = ["email", "phone", "text", "chat", None]

PRODUCTS = [  # name, category, price, cost
    ("Espresso Machine", "machines", "249.00", "150.00"),
    ("Coffee Grinder", "machines", "89.90", "52.00"),
    ("House Blend 1kg", "coffee", "18.50", "9.25"),
    ("Single Origin 250g", "coffee", "12.40", None),
    ("Milk Frother", "accessories", "34.99", "19.00"),
    ("Descaler", "accessories", "7.95", "2.10"),
    ("Barista Course", None, "120.00", "40.00"),
    ("Gift Card", "gifts", "50.00", None),
]


def iso(d, hour=12, minute=0):
    return f"{d.isoformat()}T{hour:02d}:{minute:02d}:00+00:00"


def main():
    if len(sys.argv) != 2:
        print("usage: report_data.py DIR", file=sys.stderr)
        return 2
    root = sys.argv[1]
    w = Writer(root)
    os.makedirs(os.path.join(root, ".crm"), exist_ok=True)
    for d in ["activities", "campaigns", "companies", "contacts", "deals", "feedback", "files", "followups",
              "loyalty", "payments", "products", "sales", "segments", "vouchers"]:
        os.makedirs(os.path.join(root, d), exist_ok=True)
    with open(os.path.join(root, ".crm", "config.yaml"), "w", encoding="utf-8") as f:
        f.write(CONFIG)
    with open(os.path.join(root, ".gitignore"), "w", encoding="utf-8") as f:
        f.write(GITIGNORE)
    with open(os.path.join(root, "rates.yaml"), "w", encoding="utf-8") as f:
        f.write(RATES)

    # ---- products
    products = []
    for name, cat, price, cost in PRODUCTS:
        pid = f"{slug(name)}-{suffix()}"
        lines = [f"id: {pid}", f"name: {name}"]
        if cat:
            lines.append(f"category: {cat}")
        lines += ["currency: EUR", f"price: {q(price)}"]
        if cost:
            lines.append(f"cost: {q(cost)}")
        lines += [f"created: {NOW}", f"updated: {NOW}"]
        w.write(f"products/{pid}.yaml", lines)
        products.append({"id": pid, "name": name, "price": Decimal(price), "cost": Decimal(cost) if cost else None})

    # ---- contacts: roles decide stage and whether they buy
    start = date(2024, 11, 1)
    contacts = []
    for i, name in enumerate(NAMES):
        cid = f"{slug(name)}-{suffix()}"
        created = start + timedelta(days=rng.randrange(0, 700))
        role = "customer" if i < 26 else ["lead", "prospect", "lead", "lost", "inactive", None][i % 6]
        if i in (3, 11, 20):
            role = "lost_customer"  # bought, then went to a competitor
        if role in ("customer", "lost_customer"):
            created = start + timedelta(days=(created - start).days % 420)
        contacts.append({"id": cid, "name": name, "slug": slug(name), "created": created, "role": role,
                         "country": COUNTRIES[i], "source": SOURCES[rng.randrange(len(SOURCES))],
                         "tags": sorted(rng.sample(TAGS, rng.randrange(0, 3))),
                         "prefers": PREFERS[rng.randrange(len(PREFERS))],
                         "email": i % 3 != 2, "activities": []})

    activities = []  # (contact, day, kind, extra lines)

    def act(c, d, kind, lines, hour=None):
        activities.append((c, d, kind, lines, hour if hour is not None else rng.randrange(8, 19)))

    # ---- campaigns
    campaigns = []
    for name, channel, start_day, cur, cost in [("Spring Promo", "email", date(2025, 3, 1), "EUR", "400.00"),
                                                 ("Autumn Fair", "event", date(2025, 10, 4), "USD", "1250.00"),
                                                 ("Black Friday", "ad", date(2026, 11, 20), None, None)]:
        kid = f"{slug(name)}-{suffix()}"
        audience = [c["id"] for c in rng.sample(contacts, 12)]
        campaigns.append({"id": kid, "name": name, "channel": channel, "start": start_day, "currency": cur,
                          "cost": cost, "audience": audience})

    # ---- sales
    sales = []
    buyers = [c for c in contacts if c["role"] in ("customer", "lost_customer")]
    sale_seq = 0
    end = date(2026, 11, 24)
    for c in buyers:
        n = rng.choice([1, 2, 3, 4, 6, 8, 10, 12, 14, 16])
        first = max(c["created"], date(2024, 12, 1)) + timedelta(days=rng.randrange(0, 60))
        if first > end:
            first = end - timedelta(days=5)
        gap = rng.choice([20, 30, 45, 60, 120])
        d = first
        for k in range(n):
            if d > end:
                break
            sales.append({"contact": c, "day": d})
            d = d + timedelta(days=max(1, int(rng.gauss(gap, gap / 4))))
            if c["role"] == "lost_customer" and d > date(2026, 3, 1):
                break
    sales.sort(key=lambda s: (s["day"], s["contact"]["id"]))
    # Two sales of one customer on one day (a rhythm of 0 days counts as 1).
    sales.append({"contact": buyers[5], "day": sales[-40]["day"]})
    sales.append({"contact": buyers[5], "day": sales[-41]["day"]})
    sales.sort(key=lambda s: (s["day"], s["contact"]["id"]))

    paid_methods = ["card", "card", "cash", "bank-transfer", "paypal", "credit", "check"]
    out_sales = []
    for s in sales:
        c, d = s["contact"], s["day"]
        sale_seq += 1
        currency = "USD" if sale_seq % 7 == 3 else "EUR"
        if sale_seq == 57:
            currency = "GBP"  # no rate: left out of sums with a warning
        items = []
        for p in rng.sample(products, rng.choice([1, 1, 1, 2, 2, 3])):
            qty = rng.choice([1, 1, 1, 2, 3])
            price = p["price"]
            if currency != "EUR":
                price = (p["price"] * Decimal("1.08")).quantize(Decimal("0.01"))
            elif rng.random() < 0.15:
                price = (p["price"] * Decimal("0.9")).quantize(Decimal("0.01"))
            cost = p["cost"] if currency == "EUR" else None
            items.append({"product": p, "qty": qty, "price": price, "cost": cost, "total": price * qty})
        subtotal = sum(i["total"] for i in items)
        discount = None
        r = rng.random()
        if r < 0.12:
            discount = "10%"
            damount = (subtotal * Decimal("0.10")).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
        elif r < 0.18:
            discount = "5.00"
            damount = Decimal("5.00")
        else:
            damount = Decimal(0)
        total = subtotal - damount
        paid = paid_methods[rng.randrange(len(paid_methods))]
        camp = None
        for k in campaigns:
            if c["id"] in k["audience"] and k["start"] <= d <= k["start"] + timedelta(days=60) and rng.random() < 0.7:
                camp = k["id"]
        if camp is None and sale_seq in (30, 31):
            camp = "Newsletter"  # a campaign named, with no record
        hour = rng.randrange(8, 20)
        sid = f"{d.isoformat()}-sale-{c['slug']}-{suffix()}"
        out_sales.append({"id": sid, "contact": c, "day": d, "hour": hour, "currency": currency, "items": items,
                          "subtotal": subtotal, "discount": discount, "damount": damount, "total": total,
                          "paid_by": paid, "campaign": camp, "status": "completed"})

    # void a few
    for s in out_sales[10::45]:
        s["status"] = "void"

    feedback = []

    def fb(c, d, kind, product=None, sale=None, rating=None, nps=None, resolved_after=None, summary="feedback"):
        fid = f"{d.isoformat()}-{kind}-{c['slug']}-{suffix()}"
        feedback.append({"id": fid, "contact": c, "day": d, "kind": kind, "product": product, "sale": sale,
                         "rating": rating, "nps": nps, "resolved_after": resolved_after, "summary": summary})
        return fid

    # refunds: a part or all of a sale with no amount discount, some days later
    refunds = []
    candidates = [s for s in out_sales if s["status"] == "completed" and s["discount"] != "5.00"
                  and s["day"] < date(2026, 10, 1)]
    for s in candidates[7::23]:
        back = s["items"][:1]
        qty = back[0]["qty"] if s["day"].month % 2 else 1
        d = s["day"] + timedelta(days=rng.randrange(1, 12))
        items = [dict(back[0], qty=-qty, total=-back[0]["price"] * qty)]
        subtotal = items[0]["total"]
        damount = (subtotal * Decimal("0.10")).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN) \
            if s["discount"] == "10%" else Decimal(0)
        fid = fb(s["contact"], d, "return", product=back[0]["product"]["name"], sale=s["id"],
                 resolved_after=rng.choice([None, 90, 600, 2880]), summary="came back")
        refunds.append({"id": f"{d.isoformat()}-refund-{s['contact']['slug']}-{suffix()}", "contact": s["contact"],
                        "day": d, "hour": 15, "currency": s["currency"], "items": items, "subtotal": subtotal,
                        "discount": s["discount"], "damount": damount, "total": subtotal - damount,
                        "paid_by": s["paid_by"], "campaign": s["campaign"], "status": "completed",
                        "refund_of": s["id"], "feedback": fid, "due_of": s["day"]})

    for s in out_sales + refunds:
        lines = [f"id: {s['id']}", f"contact: {s['contact']['id']}", f"at: {iso(s['day'], s['hour'])}",
                 f"status: {s['status']}", f"currency: {s['currency']}", "items:"]
        for it in s["items"]:
            lines += [f"  - product: {it['product']['name']}", f"    product_id: {it['product']['id']}",
                      f"    quantity: {q(str(it['qty']))}", f"    price: {q(money(it['price']))}"]
            if it["cost"] is not None:
                lines.append(f"    cost: {q(money(it['cost']))}")
            lines.append(f"    total: {q(money(it['total']))}")
        lines.append(f"subtotal: {q(money(s['subtotal']))}")
        if s["discount"]:
            lines += [f"discount: {s['discount'] if s['discount'].endswith('%') else q(s['discount'])}",
                      f"discount_amount: {q(money(s['damount']))}"]
        lines.append(f"total: {q(money(s['total']))}")
        if all(it["cost"] is not None for it in s["items"]):
            cost = sum(it["cost"] * it["qty"] for it in s["items"])
            lines += [f"cost: {q(money(cost))}", f"margin: {q(money(s['total'] - cost))}"]
        lines.append(f"paid_by: {s['paid_by']}")
        if s["paid_by"] == "credit":  # a refund keeps the terms of its sale
            lines += ["terms: net30", f"due: {q((s.get('due_of', s['day']) + timedelta(days=30)).isoformat())}"]
        if s["campaign"]:
            lines.append(f"campaign: {s['campaign']}")
        if "refund_of" in s:
            lines += [f"refund_of: {s['refund_of']}", f"feedback: {s['feedback']}"]
        if s["status"] == "void":
            lines += [f"voided_at: {iso(s['day'], 20)}", "void_reason: entered twice"]
        lines += [f"created: {iso(s['day'], s['hour'])}", f"updated: {iso(s['day'], s['hour'])}"]
        w.write(f"sales/{s['day']:%Y/%m}/{s['id']}.yaml", lines)

    # payments on credit sales: some in full, some in part
    for n, s in enumerate(x for x in out_sales if x["paid_by"] == "credit" and x["status"] == "completed"):
        if n % 3 == 2:
            continue
        amount = s["total"] if n % 3 == 0 else (s["total"] / 2).quantize(Decimal("0.01"))
        d = s["day"] + timedelta(days=rng.randrange(3, 40))
        pid = f"{d.isoformat()}-payment-{s['contact']['slug']}-{suffix()}"
        w.write(f"payments/{d:%Y/%m}/{pid}.yaml",
                [f"id: {pid}", f"sale: {s['id']}", f"contact: {s['contact']['id']}", f"at: {iso(d, 11)}",
                 f"amount: {q(money(amount))}", f"currency: {s['currency']}",
                 f"method: {rng.choice(['cash', 'bank-transfer', 'card'])}", f"created: {iso(d, 11)}",
                 f"updated: {iso(d, 11)}"])

    # ---- stage changes, interactions
    first_sale = {}
    for s in out_sales:
        if s["status"] == "completed":
            first_sale.setdefault(s["contact"]["id"], s["day"])
    final_stage = {}
    for i, c in enumerate(contacts):
        role = c["role"]
        cr = c["created"]
        if role in ("customer", "lost_customer"):
            fs = first_sale.get(c["id"], cr + timedelta(days=20))
            if i % 4 == 0:
                # recorded as a lead first, then a customer (some before their first sale)
                act(c, cr, "stage", ["to: lead"])
                conv = fs - timedelta(days=10) if i % 8 == 0 and fs - timedelta(days=10) > cr else fs + timedelta(days=2)
                act(c, conv, "stage", ["from: lead", "to: customer"])
            elif i % 4 == 1:
                act(c, cr, "stage", ["to: prospect"])
                act(c, fs, "stage", ["from: prospect", "to: customer"])
            final_stage[c["id"]] = "customer" if i % 4 != 3 else None
            if role == "lost_customer":
                d = date(2026, 6, 1) + timedelta(days=i)
                reason = ["price", "service", "price"][i % 3]
                to = ["BeanCo", "BeanCo", "Brewly"][i % 3]
                act(c, d, "stage", ["from: customer" if final_stage[c["id"]] else "", "to: lost",
                                    f"lost_to: {to}", f"lost_reason: {reason}"])
                c["lost"] = (to, reason)
                final_stage[c["id"]] = "lost"
        elif role in ("lead", "prospect"):
            act(c, cr, "stage", [f"to: {role}"])
            if role == "prospect" and i % 2:
                act(c, cr + timedelta(days=15), "stage", ["from: lead", "to: prospect"])
            final_stage[c["id"]] = role
        elif role == "lost":
            act(c, cr, "stage", ["to: lead"])
            d = cr + timedelta(days=30)
            reason = "no budget" if i % 2 else "price"
            act(c, d, "stage", ["from: lead", "to: lost", "lost_to: Brewly", f"lost_reason: {reason}"])
            c["lost"] = ("Brewly", reason)
            final_stage[c["id"]] = "lost"
        elif role == "inactive":
            act(c, cr, "stage", ["to: prospect"])
            act(c, cr + timedelta(days=40), "stage", ["from: prospect", "to: inactive"])
            final_stage[c["id"]] = "inactive"
        else:
            final_stage[c["id"]] = None
        # interactions: calls, emails, meetings... some inbound from a campaign
        for k in range(rng.randrange(0, 7)):
            d = cr + timedelta(days=rng.randrange(0, 400))
            if d > TODAY - timedelta(days=1):
                continue
            kind = rng.choice(["call", "email", "meeting", "text", "note", "chat"])
            direction = rng.choice(["in", "out", "out"]) if kind != "note" else None
            lines = [f"direction: {direction}"] if direction else []
            camp = [x for x in campaigns if x["start"] <= d <= x["start"] + timedelta(days=45)]
            if camp and direction == "in":
                lines.append(f"campaign: {camp[0]['id']}")
            act(c, d, kind, lines)
    # inbound responses to each campaign, some from outside its audience, some twice
    for k in campaigns:
        for cid in k["audience"][:7] + [contacts[0]["id"], contacts[30]["id"]]:
            c = next(x for x in contacts if x["id"] == cid)
            d = k["start"] + timedelta(days=rng.randrange(0, 5))
            if d >= TODAY:
                d = TODAY - timedelta(days=1)
            act(c, d, rng.choice(["email", "call", "chat"]), ["direction: in", f"campaign: {k['id']}"])
        act(contacts[0], k["start"] + timedelta(days=1), "email", ["direction: in", f"campaign: {k['name']}"])

    for (c, d, kind, lines, hour) in activities:
        lines = [x for x in lines if x]
        aid = f"{d.isoformat()}-{kind}-{c['slug']}-{suffix()}"
        out = [f"id: {aid}", f"kind: {kind}", f"contact: {c['id']}", f"at: {iso(d, hour, 15)}"]
        if kind == "stage":
            fr = next((x[6:] for x in lines if x.startswith("from: ")), None)
            to = next(x[4:] for x in lines if x.startswith("to: "))
            out += lines
            out.append(f'summary: "stage: {fr + " -> " if fr else ""}{to}"')
        else:
            out += lines
            out.append(f"summary: {kind} about coffee")
        out += [f"created: {iso(d, hour, 15)}", f"updated: {iso(d, hour, 15)}"]
        w.write(f"activities/{d:%Y/%m}/{aid}.yaml", out)

    # ---- feedback: complaints (many on the grinder), reviews, surveys
    grinder = products[1]
    for n in range(24):
        c = buyers[rng.randrange(len(buyers))]
        d = date(2025, 1, 10) + timedelta(days=rng.randrange(0, 680))
        kind = ["complaint", "review", "survey", "complaint", "support", "suggestion"][n % 6]
        if kind == "complaint":
            p = grinder if n % 4 == 0 else rng.choice(products)
            product = p["id"] if n % 2 else p["name"]
        elif kind == "review":
            product = rng.choice(products)["name"]
        else:
            product = None
        rating = rng.randrange(1, 6) if kind in ("review", "complaint") and n % 5 != 1 else None
        nps = rng.randrange(0, 11) if kind in ("survey", "review") or n % 7 == 0 else None
        resolved_after = rng.choice([None, 45, 300, 1440, 4321]) if kind in ("complaint", "support") else None
        fb(c, d, kind, product=product, rating=rating, nps=nps, resolved_after=resolved_after,
           summary=f"{kind} number {n}")
    fb(buyers[0], date(2026, 4, 2), "complaint", product=grinder["name"], rating=1, resolved_after=1470)
    fb(buyers[1], date(2026, 5, 3), "complaint", product=grinder["id"], nps=2)
    fb(buyers[2], date(2026, 6, 4), "complaint", product="Old Kettle", rating=2)  # not a product record

    for f in feedback:
        at = iso(f["day"], 10)
        lines = [f"id: {f['id']}", f"kind: {f['kind']}", f"contact: {f['contact']['id']}", f"at: {at}"]
        if f["product"]:
            lines.append(f"product: {f['product']}")
        if f["sale"]:
            lines.append(f"sale: {f['sale']}")
        if f["rating"] is not None:
            lines.append(f"rating: {f['rating']}")
        if f["nps"] is not None:
            lines.append(f"nps: {f['nps']}")
        lines.append(f"summary: {f['summary']}")
        if f["resolved_after"] is not None:
            done = datetime(f["day"].year, f["day"].month, f["day"].day, 10) + timedelta(minutes=f["resolved_after"])
            lines += ["status: resolved", f"resolved_at: {done:%Y-%m-%dT%H:%M:%S}+00:00",
                      f"resolution_minutes: {f['resolved_after']}", "resolution: sorted out"]
        else:
            lines.append("status: open")
        lines += [f"created: {at}", f"updated: {at}"]
        w.write(f"feedback/{f['day']:%Y/%m}/{f['id']}.yaml", lines)

    # ---- campaigns
    for k in campaigns:
        lines = [f"id: {k['id']}", f"name: {k['name']}", f"channel: {k['channel']}", f"start: {q(k['start'].isoformat())}"]
        if k["currency"]:
            lines.append(f"currency: {k['currency']}")
        if k["cost"]:
            lines.append(f"cost: {q(k['cost'])}")
        lines.append("audience:")
        lines += [f"  - {a}" for a in k["audience"]]
        lines += [f"created: {iso(k['start'], 9)}", f"updated: {iso(k['start'], 9)}"]
        w.write(f"campaigns/{k['id']}.yaml", lines)

    # ---- contacts
    for i, c in enumerate(contacts):
        lines = [f"id: {c['id']}", f"name: {c['name']}"]
        if c["email"]:
            lines += ["emails:", f"  - address: contact{i}@example.org"]
        if c["country"]:
            lines.append(f"country: {c['country']}")
        if c["prefers"]:
            lines.append(f"prefers: {c['prefers']}")
        if c["source"]:
            lines.append(f"source: {c['source']}")
        stage = final_stage.get(c["id"])
        if stage:
            lines.append(f"stage: {stage}")
        if "lost" in c:
            lines += [f"lost_to: {c['lost'][0]}", f"lost_reason: {c['lost'][1]}"]
        if c["tags"]:
            lines.append("tags:")
            lines += [f"  - {t}" for t in c["tags"]]
        lines += [f"created: {iso(c['created'], 9)}", f"updated: {iso(c['created'], 9)}"]
        w.write(f"contacts/{c['id']}.yaml", lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
