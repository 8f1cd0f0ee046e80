#!/usr/bin/env python3
"""Add products, campaigns, sales, refunds and feedback to a benchmark workspace.

    gen_sales.py WORKSPACE_DIR K [--seed S] [--now YYYY-MM-DD] [--days D]

Reads the contacts of WORKSPACE_DIR/contacts/*.yaml (file names sorted; each file's
stage and created lines) and writes, in the layout `crm` writes:

- products/<id>.yaml: 50 products in 10 categories, price and cost in EUR;
- campaigns/<id>.yaml: 8 campaigns of 30 days over the period, with an audience;
- sales/YYYY/MM/<id>.yaml: about K sales per contact on average, all in EUR (the
  workspace's base currency, so no rates are needed), over the D days before --now.
  Only contacts at stage customer, inactive or lost buy (half of the set, about
  2K sales each); inactive and lost ones stopped buying months before --now, so
  churn has something to find. Some sales have a discount (10% or 5.00), some are
  on credit (net30, with a due date), some came from a campaign;
- about 1% of the sales are refunded (a negative sale with refund_of, some days
  later) with the return feedback record crm makes for it, and about 4% of the
  buyers left a review or complaint with a rating and an NPS.

Every amount adds up exactly as crm checks it (item totals, subtotal, discount
rounded half to even, total, cost, margin): a file that does not is skipped by the
index. Same arguments -> byte-identical output. Plain string templates, no YAML
library: 500 000 sales take a minute or two.
"""

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_contacts import scalar, slug, unique_scalar, _civil_from_days  # noqa: E402

SUFFIX_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"

# (category, [(name, price, cost)]), prices and costs in cents.
CATALOGUE = [
    ("Pantry", [("Olive Oil 1L", 1250, 720), ("Balsamic Vinegar", 890, 410), ("Sea Salt 500g", 350, 120),
                ("Honey 450g", 990, 560), ("Basmati Rice 2kg", 640, 380)]),
    ("Dairy", [("Feta 400g", 630, 310), ("Greek Yoghurt 1kg", 480, 250), ("Aged Cheddar", 1120, 640),
               ("Butter 250g", 320, 190), ("Halloumi", 590, 330)]),
    ("Bakery", [("Sourdough Loaf", 450, 150), ("Rye Bread", 390, 140), ("Croissants x6", 690, 260),
                ("Bagels x4", 420, 160), ("Focaccia", 550, 200)]),
    ("Coffee", [("Espresso Beans 1kg", 2490, 1300), ("Filter Coffee 500g", 1190, 590),
                ("Decaf 250g", 790, 380), ("Cold Brew Pack", 1450, 700), ("Coffee Grinder", 6900, 4100)]),
    ("Tea", [("Green Tea 100g", 690, 260), ("Earl Grey 250g", 850, 370), ("Rooibos 100g", 590, 230),
             ("Matcha 30g", 1990, 1100), ("Tea Pot", 3490, 1800)]),
    ("Kitchen", [("Chef Knife", 8900, 4200), ("Cutting Board", 2990, 1200), ("Cast Iron Pan", 5490, 2900),
                 ("Salad Bowl", 1890, 800), ("Measuring Cups", 1290, 500)]),
    ("Wine", [("Rioja Reserva", 1890, 1050), ("Pinot Grigio", 1190, 640), ("Feteasca Neagra", 1490, 700),
              ("Prosecco", 1390, 720), ("Retsina", 990, 480)]),
    ("Snacks", [("Salted Almonds", 590, 280), ("Dark Chocolate", 390, 170), ("Olives Mix", 650, 300),
                ("Baklava Box", 1490, 620), ("Turkish Delight", 890, 380)]),
    ("Gifts", [("Gift Basket Small", 3990, 2100), ("Gift Basket Large", 7990, 4300), ("Gift Card 50", 5000, 5000),
               ("Tasting Box", 4490, 2300), ("Hamper Deluxe", 12990, 7100)]),
    ("Services", [("Cooking Class", 6500, 2500), ("Wine Tasting", 4500, 1800), ("Delivery Express", 990, 600),
                  ("Gift Wrapping", 350, 80), ("Catering Hour", 9500, 5200)]),
]

PAYMENTS = ["card"] * 55 + ["cash"] * 15 + ["paypal"] * 10 + ["bank-transfer"] * 12 + ["credit"] * 8
CAMPAIGNS = [("Winter Warmers", "email"), ("Spring Pantry", "social"), ("Summer Wine Fair", "event"),
             ("Back to Kitchen", "ad"), ("Autumn Coffee", "email"), ("Holiday Hampers", "sms"),
             ("New Year Tasting", "event"), ("Loyal Customers", "email")]
RETURN_REASONS = ["arrived damaged", "wrong item sent", "not as described", "changed their mind",
                  "crushed box", "past its date"]
REVIEWS = ["great quality, will order again", "delivery was late", "the box arrived crushed",
           "friendly service", "too expensive for what it is", "exactly as described"]
BUYING_STAGES = ("customer", "inactive", "lost")


def days_from_civil(y, m, d):
    """(y, m, d) -> days since 1970-01-01 (inverse of _civil_from_days)."""
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def parse_day(text):
    return days_from_civil(int(text[0:4]), int(text[5:7]), int(text[8:10]))


_day_cache = {}


def day_string(days):
    s = _day_cache.get(days)
    if s is None:
        s = _day_cache[days] = "%04d-%02d-%02d" % _civil_from_days(days)
    return s


def amount(minor):
    """Cents -> "12.50" (EUR: 2 decimals), quoted as crm writes amounts."""
    sign = "-" if minor < 0 else ""
    minor = abs(minor)
    return '"%s%d.%02d"' % (sign, minor // 100, minor % 100)


def half_even(num, den):
    """round(num / den) with ties to even, for num >= 0, den > 0 (crm's scale_half_even)."""
    q, r = divmod(num, den)
    if 2 * r > den or (2 * r == den and q % 2 == 1):
        q += 1
    return q


def suffix(rng):
    return "".join(SUFFIX_ALPHABET[rng.randrange(32)] for _ in range(4))


class Writer:
    """Files under the workspace: os.open/os.write, no fsync, directories made once."""

    def __init__(self, root):
        self.root = root
        self.made = set()
        self.count = 0

    def write(self, folder, name, text):
        path = os.path.join(self.root, folder)
        if folder not in self.made:
            os.makedirs(path, exist_ok=True)
            self.made.add(folder)
        fd = os.open(os.path.join(path, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, text.encode("utf-8"))
        finally:
            os.close(fd)
        self.count += 1


def read_contacts(ws):
    """[(id, stage, created day, offset)] in file-name order."""
    folder = os.path.join(ws, "contacts")
    out = []
    for name in sorted(f for f in os.listdir(folder) if f.endswith(".yaml")):
        stage, created = "", ""
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            for line in f:
                if line.startswith("stage: "):
                    stage = line[7:].strip()
                elif line.startswith("created: "):
                    created = line[9:].strip()
        if not created:
            continue
        out.append((name[:-5], stage, parse_day(created), created[19:]))
    return out


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("workspace")
    ap.add_argument("k", type=int, help="sales per contact, on average")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--now", default="2026-11-25", help="the day the sales lead up to (default 2026-11-25)")
    ap.add_argument("--days", type=int, default=730, help="length of the sales period in days (default 730)")
    args = ap.parse_args(argv)
    if args.k < 0:
        ap.error("K must be >= 0")
    rng = random.Random(args.seed)
    out = Writer(args.workspace)
    now = parse_day(args.now)
    first = now - args.days
    stamp_now = day_string(now) + "T09:00:00+00:00"

    # Products.
    products = []  # (id, name, category index, price, cost)
    for ci, (category, items) in enumerate(CATALOGUE):
        for name, price, cost in items:
            pid = slug(name) + "-" + suffix(rng)
            products.append((pid, name, ci, price, cost))
            text = "\n".join([
                "id: " + pid, "name: " + scalar(name), "sku: SKU-%03d" % len(products),
                "category: " + scalar(category), "currency: EUR", "price: " + amount(price),
                "cost: " + amount(cost), "created: " + stamp_now, "updated: " + stamp_now]) + "\n"
            out.write("products", pid + ".yaml", text)
    by_category = [[p for p in products if p[2] == ci] for ci in range(len(CATALOGUE))]

    contacts = read_contacts(args.workspace)

    # Campaigns: 30 days each, spread over the period; audience: 50 contacts each.
    campaigns = []  # (id, start day, end day)
    for i, (name, channel) in enumerate(CAMPAIGNS):
        start = first + 30 + i * (args.days - 60) // len(CAMPAIGNS)
        cid = slug(name) + "-" + suffix(rng)
        campaigns.append((cid, start, start + 29))
        lines = ["id: " + cid, "name: " + scalar(name), "channel: " + channel,
                 'start: "%s"' % day_string(start), 'end: "%s"' % day_string(start + 29),
                 "currency: EUR", "cost: " + amount(50000 + 25000 * (i % 4))]
        if contacts:
            lines.append("audience:")
            lines.extend("  - " + unique_scalar(contacts[rng.randrange(len(contacts))][0]) for _ in range(50))
        lines += ["created: " + stamp_now, "updated: " + stamp_now]
        out.write("campaigns", cid + ".yaml", "\n".join(lines) + "\n")

    used = set()

    def new_id(day, word, contact_slug):
        while True:
            rid = "%s-%s-%s-%s" % (day_string(day), word, contact_slug, suffix(rng))
            if rid not in used:
                used.add(rid)
                return rid

    def at_of(day, offset):
        return "%sT%02d:%02d:00%s" % (day_string(day), 8 + rng.randrange(11), rng.randrange(60), offset)

    def feedback(kind, contact, day, offset, fslug, product, summary, sale=None, rating=None, nps=None):
        fid = new_id(day, kind, fslug)
        at = at_of(day, offset)
        lines = ["id: " + fid, "kind: " + kind, "contact: " + unique_scalar(contact), "at: " + at,
                 "product: " + scalar(product)]
        if sale:
            lines.append("sale: " + unique_scalar(sale))
        if rating is not None:
            lines.append("rating: %d" % rating)
        if nps is not None:
            lines.append("nps: %d" % nps)
        lines += ["channel: email", "summary: " + scalar(summary)]
        updated = at
        if rng.randrange(10) < 7 and day + 3 < now:  # most are resolved within 3 days
            minutes = 30 + rng.randrange(3 * 1440)
            done = day * 1440 + 8 * 60 + minutes  # from 08:00 local
            resolved = "%sT%02d:%02d:00%s" % (day_string(done // 1440), done % 1440 // 60, done % 60, offset)
            lines += ["status: resolved", "resolved_at: " + resolved, "resolution_minutes: %d" % minutes,
                      "resolution: sent a replacement"]
            updated = resolved
        else:
            lines.append("status: open")
        lines += ["created: " + at, "updated: " + updated]
        out.write("feedback/%s/%s" % (day_string(day)[:4], day_string(day)[5:7]), fid + ".yaml",
                  "\n".join(lines) + "\n")
        return fid

    sales = 0
    for cid, stage, created, offset in contacts:
        if stage not in BUYING_STAGES or args.k == 0:
            continue
        cslug = cid.rsplit("-", 1)[0]
        contact_line = "contact: " + unique_scalar(cid)
        end = now - 1
        if stage == "inactive":
            end = now - 150 - rng.randrange(200)
        elif stage == "lost":
            end = now - 120 - rng.randrange(400)
        start = max(created, first)
        if start >= end - 30:
            start = max(first, end - 90)
        n = 1 + rng.randrange(4 * args.k - 1) if args.k > 0 else 0
        days = sorted(start + rng.randrange(end - start + 1) for _ in range(n))
        favourite = rng.randrange(len(CATALOGUE))
        for day in days:
            # 1-4 distinct products, mostly from the favourite category.
            n_items = (1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4)[rng.randrange(11)]
            chosen = []
            while len(chosen) < n_items:
                pool = by_category[favourite] if rng.randrange(10) < 6 else products
                p = pool[rng.randrange(len(pool))]
                if p not in chosen:
                    chosen.append(p)
            items = []
            subtotal = cost = 0
            for pid, name, _, price, unit_cost in chosen:
                qty = (1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 5)[rng.randrange(11)]
                items.append((name, pid, qty, price, unit_cost))
                subtotal += qty * price
                cost += qty * unit_cost
            r = rng.randrange(100)
            discount = None
            if r < 8:
                discount, off = "10%", half_even(subtotal * 10, 100)
            elif r < 12 and subtotal >= 500:
                discount, off = '"5.00"', 500
            else:
                off = 0
            total = subtotal - off
            paid_by = PAYMENTS[rng.randrange(len(PAYMENTS))]
            campaign = None
            for camp_id, c_start, c_end in campaigns:
                if c_start <= day <= c_end and rng.randrange(4) == 0:
                    campaign = camp_id
            sid = new_id(day, "sale", cslug)
            at = at_of(day, offset)
            lines = ["id: " + sid, contact_line, "at: " + at, "status: completed", "currency: EUR", "items:"]
            for name, pid, qty, price, unit_cost in items:
                lines += ["  - product: " + scalar(name), "    product_id: " + pid, '    quantity: "%d"' % qty,
                          "    price: " + amount(price), "    cost: " + amount(unit_cost),
                          "    total: " + amount(qty * price)]
            lines.append("subtotal: " + amount(subtotal))
            if discount:
                lines += ["discount: " + discount, "discount_amount: " + amount(off)]
            lines += ["total: " + amount(total), "cost: " + amount(cost), "margin: " + amount(total - cost),
                      "paid_by: " + paid_by]
            if paid_by == "credit":
                lines += ["terms: net30", 'due: "%s"' % day_string(day + 30)]
            if campaign:
                lines.append("campaign: " + campaign)
            lines += ["created: " + at, "updated: " + at]
            folder = "sales/%s/%s" % (day_string(day)[:4], day_string(day)[5:7])
            out.write(folder, sid + ".yaml", "\n".join(lines) + "\n")
            sales += 1

            # About 1% come back: every item, or the first one, with a return
            # feedback record (crm sale refund makes one). Only whole sales
            # without a discount or credit, so the refund is the plain negative.
            if (rng.randrange(100) == 0 and not discount and paid_by != "credit" and day + 10 < now):
                rday = day + 1 + rng.randrange(9)
                back = items if rng.randrange(2) else items[:1]
                reason = RETURN_REASONS[rng.randrange(len(RETURN_REASONS))]
                fid = feedback("return", cid, rday, offset, cslug, back[0][0], reason, sale=sid)
                rid = new_id(rday, "refund", cslug)
                rat = at_of(rday, offset)
                rsub = sum(q * p for _, _, q, p, _ in back)
                rcost = sum(q * c for _, _, q, _, c in back)
                lines = ["id: " + rid, contact_line, "at: " + rat, "status: completed", "currency: EUR", "items:"]
                for name, pid, qty, price, unit_cost in back:
                    lines += ["  - product: " + scalar(name), "    product_id: " + pid,
                              '    quantity: "-%d"' % qty, "    price: " + amount(price),
                              "    cost: " + amount(unit_cost), "    total: " + amount(-qty * price)]
                lines += ["subtotal: " + amount(-rsub), "total: " + amount(-rsub), "cost: " + amount(-rcost),
                          "margin: " + amount(rcost - rsub), "paid_by: " + paid_by]
                if campaign:
                    lines.append("campaign: " + campaign)
                lines += ["refund_of: " + sid, "feedback: " + fid, "notes: " + scalar(reason),
                          "created: " + rat, "updated: " + rat]
                folder = "sales/%s/%s" % (day_string(rday)[:4], day_string(rday)[5:7])
                out.write(folder, rid + ".yaml", "\n".join(lines) + "\n")
                sales += 1

        # About 4% of buyers also left a review or a complaint.
        if rng.randrange(25) == 0:
            day = days[-1] + rng.randrange(5)
            if day < now:
                kind = "complaint" if rng.randrange(3) == 0 else "review"
                rating = 1 + rng.randrange(2) if kind == "complaint" else 3 + rng.randrange(3)
                nps = rng.randrange(7) if kind == "complaint" else 6 + rng.randrange(5)
                feedback(kind, cid, day, offset, cslug, products[rng.randrange(len(products))][1],
                         REVIEWS[rng.randrange(len(REVIEWS))], rating=rating, nps=nps)

    print("%d sales (refunds included), %d files in all" % (sales, out.count), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
