#!/usr/bin/env python3
"""Checks `crm report NAME` against numbers worked out here, independently: from
the YAML files of the workspace (not the index, not crm's output) and from what
each report is defined to compute (the top comments of lib/ops/reports/*.cpp).

    CRM=path/to/crm report_check.py WORKSPACE GROUP...

GROUP: revenue top rfm churn reorder lifecycle conversion leads campaigns feedback
cross-sell. Prints each mismatch; exit 1 if any, 0 if all agree.
"""

import json
import math
import os
import subprocess
import sys
import unicodedata
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

NOW = "2026-11-25T10:00:00+00:00"
TODAY = "2026-11-25"
EXPONENT = {"EUR": 2, "USD": 2, "GBP": 2, "JPY": 0, "RON": 2}
STAGES = ["lead", "prospect", "customer", "inactive", "lost"]  # the order crm lists them

try:
    import yaml
except ImportError:
    print("report_check.py: python3-yaml is missing (scripts/deps.sh installs it)", file=sys.stderr)
    sys.exit(2)


# ------------------------------------------------------------------ reading

def nfc(value):
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [nfc(v) for v in value]
    if isinstance(value, dict):
        return {nfc(k): nfc(v) for k, v in value.items()}
    return value


def load(path):
    # BaseLoader: every scalar stays the text written (amounts, dates, rates).
    # Text in NFC, as crm reads it (report_data.py names some files in NFD).
    with open(path, encoding="utf-8") as f:
        return nfc(yaml.load(f, Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader)))


def records(root, folder):
    out = []
    for dirpath, _, files in os.walk(os.path.join(root, folder)):
        for name in files:
            if name.endswith(".yaml"):
                out.append(load(os.path.join(dirpath, name)))
    return sorted(out, key=lambda r: r["id"])


class Data:
    def __init__(self, root):
        self.config = load(os.path.join(root, ".crm", "config.yaml"))
        self.base = self.config["currency"]
        rates = os.path.join(root, "rates.yaml")
        self.rates = {c: sorted(d.items()) for c, d in (load(rates) or {}).items()} if os.path.exists(rates) else {}
        self.contacts = {c["id"]: c for c in records(root, "contacts")}
        self.products = {p["id"]: p for p in records(root, "products")}
        self.sales = records(root, "sales")
        self.activities = records(root, "activities")
        self.feedback = records(root, "feedback")
        self.campaigns = records(root, "campaigns")
        for r in self.sales + self.activities + self.feedback:
            r["day"] = r["at"][:10]  # the day as its writer saw it

    def minor(self, amount, currency):
        v = Decimal(amount) * (10 ** EXPONENT[currency])
        assert v == v.to_integral_value(), amount
        return int(v)

    def to_base(self, minor, currency, day):
        """Minor units of the base currency, or None without a rate on or before the day."""
        if currency == self.base:
            return minor
        dated = [r for d, r in self.rates.get(currency, []) if d <= day]
        if not dated:
            return None
        exact = Decimal(minor) / (10 ** EXPONENT[currency]) * Decimal(dated[-1]) * (10 ** EXPONENT[self.base])
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))

    def base_total(self, sale, field="total"):
        if field not in sale:
            return None
        return self.to_base(self.minor(sale[field], sale["currency"]), sale["currency"], sale["day"])

    def amount(self, minor):
        e = EXPONENT[self.base]
        return str((Decimal(minor) / (10 ** e)).quantize(Decimal(1).scaleb(-e)))

    def completed(self, frm="0000-01-01", to="9999-12-31", who=None, orders_only=False):
        for s in self.sales:
            if s["status"] != "completed" or not frm <= s["day"] <= to:
                continue
            if orders_only and "refund_of" in s:
                continue
            if who is not None and s["contact"] not in who:
                continue
            yield s

    def product_name(self, item):
        p = self.products.get(item.get("product_id"))
        return p["name"] if p else item.get("product")


# ------------------------------------------------------------------ helpers

def percent(part, whole):
    return "-" if whole == 0 else f"{100.0 * part / whole:.1f}%"


def llround(x):
    return int(math.copysign(math.floor(abs(x) + 0.5), x))


def ddays(a, b):
    return (date.fromisoformat(b) - date.fromisoformat(a)).days


def add_days(d, n):
    return (date.fromisoformat(d) + timedelta(days=n)).isoformat()


def period(by, day):
    y, m = int(day[:4]), int(day[5:7])
    if by == "day":
        return day
    if by == "week":
        d = date.fromisoformat(day)
        return (d - timedelta(days=d.weekday())).isoformat()
    if by == "month":
        return day[:7]
    if by == "quarter":
        return f"{y}-Q{(m + 2) // 3}"
    return day[:4]


def previous(by, key, year_ago=False):
    if by == "year":
        return str(int(key) - 1)
    if by == "quarter":
        y, qn = int(key[:4]), int(key[-1])
        if year_ago:
            return f"{y - 1}-Q{qn}"
        return f"{y - 1}-Q4" if qn == 1 else f"{y}-Q{qn - 1}"
    if by == "month":
        y, m = int(key[:4]), int(key[5:7])
        m -= 12 if year_ago else 1
        while m < 1:
            m += 12
            y -= 1
        return f"{y:04d}-{m:02d}"
    if by == "week":
        return add_days(key, -364 if year_ago else -7)
    return add_days(key, -1)  # day (year-ago for days is not used here)


# The --where filters used below, evaluated here on the contact records.
WHERE = {
    'country = "DE"': lambda c: c.get("country") == "DE",
    "vip": lambda c: "vip" in (c.get("tags") or []),
    "has:email": lambda c: bool(c.get("emails")),
    "source = referral": lambda c: c.get("source") == "referral",
    'stage = "customer"': lambda c: c.get("stage") == "customer",
}


class Checker:
    def __init__(self, root, data):
        self.root = root
        self.d = data
        self.failures = 0
        self.checks = 0
        self.hidden = set()

    def crm(self, *args):
        env = dict(os.environ, CRM_NOW=NOW)
        p = subprocess.run([os.environ["CRM"], "-C", self.root, "report", *args, "--format", "json"],
                           capture_output=True, text=True, env=env)
        if p.returncode != 0:
            self.fail(" ".join(args), f"exit {p.returncode}: {p.stderr.strip()}")
            return None
        return json.loads(p.stdout)

    def fail(self, where, what):
        self.failures += 1
        print(f"MISMATCH [{where}] {what}")

    def eq(self, where, field, expected, got):
        self.checks += 1
        if str(expected) != str(got) or (isinstance(expected, int) != isinstance(got, int)):
            self.fail(where, f"{field}: expected {expected!r}, crm has {got!r}")

    def facts(self, where, out, expected):
        for k, v in expected.items():
            if k in ("from", "to") and v in ("0000-01-01", "9999-12-31"):
                v = None  # an open end of the period is null in JSON
            if out is not None and isinstance(out.get(k), list) and not isinstance(v, list):
                # A table of the same name took the fact's place in the JSON
                # document: check_facts reports that once; check the rest here.
                self.hidden.add((where.split()[0], k))
                continue
            self.eq(where, k, v, out.get(k) if out else None)

    def rows(self, where, got, expected, key=None):
        """Compares tables row by row (in order), or by `key` when order is not defined."""
        got = got or []
        if key:
            g = {r[key]: r for r in got}
            e = {r[key]: r for r in expected}
            for k in sorted(set(g) | set(e)):
                if k not in g:
                    self.fail(where, f"row {k!r} missing from crm: expected {e[k]}")
                elif k not in e:
                    self.fail(where, f"row {k!r} not expected: crm has {g[k]}")
                else:
                    for f, v in e[k].items():
                        self.eq(where, f"{k}.{f}", v, g[k].get(f))
            return
        if len(got) != len(expected):
            self.fail(where, f"{len(expected)} rows expected, crm has {len(got)}")
        for i, (g, e) in enumerate(zip(got, expected)):
            for f, v in e.items():
                self.eq(where, f"row {i + 1} ({list(e.values())[0]}).{f}", v, g.get(f))

    def who(self, where):
        if where is None:
            return None
        return {cid for cid, c in self.d.contacts.items() if WHERE[where](c)}

    # ------------------------------------------------------------ revenue

    def revenue_groups(self, by, frm, to, who):
        d = self.d
        groups = {}
        for s in d.completed(frm, to, who):
            if by in ("product", "category"):
                # each item carries its share of the sale's discount
                total = d.minor(s["total"], s["currency"])
                sub = d.minor(s.get("subtotal", s["total"]), s["currency"]) or total
                parts = []
                for it in s["items"]:
                    share = Decimal(d.minor(it["total"], s["currency"]) * total) / Decimal(sub)
                    share = int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))
                    if by == "product":
                        k = d.product_name(it)
                    else:
                        p = d.products.get(it.get("product_id"))
                        k = p.get("category", "(none)") if p else "(none)"
                    parts.append((k, d.to_base(share, s["currency"], s["day"])))
            else:
                if by in ("country", "source"):
                    k = d.contacts[s["contact"]].get(by, "(none)")
                elif by == "payment":
                    k = s.get("paid_by", "(none)")
                elif by == "campaign":
                    c = s.get("campaign")
                    named = [x["name"] for x in d.campaigns if x["id"] == c]
                    k = named[0] if named else (c or "(none)")
                else:
                    k = period(by, s["day"])
                parts = [(k, d.base_total(s))]
            for k, v in parts:
                g = groups.setdefault(k, {"orders": set(), "revenue": 0})
                if "refund_of" not in s:
                    g["orders"].add(s["id"])
                if v is not None:
                    g["revenue"] += v
        return groups

    def revenue(self, by="month", frm=None, to=None, compare=None, where=None):
        d = self.d
        args = ["revenue", "--by", by]
        args += ["--from", frm] if frm else []
        args += ["--to", to] if to else []
        args += ["--compare", compare] if compare else []
        args += ["--where", where] if where else []
        label = " ".join(args)
        out = self.crm(*args)
        if out is None:
            return
        f, t = frm or "0000-01-01", to or "9999-12-31"
        who = self.who(where)
        groups = self.revenue_groups(by, f, t, who)
        is_period = by in ("day", "week", "month", "quarter", "year")
        before = {}
        if compare:
            if is_period:
                before = self.revenue_groups(by, "0000-01-01", "9999-12-31", who)
            else:
                if compare == "previous":
                    n = ddays(f, t) + 1
                    before = self.revenue_groups(by, add_days(f, -n), add_days(f, -1), who)
        keys = sorted(groups)
        if compare and not is_period:
            # A group that sold only in the earlier stretch shows too, with 0 now.
            for k in sorted(before):
                if k not in groups:
                    groups[k] = {"orders": set(), "revenue": 0}
                    keys.append(k)
        if not is_period:
            keys.sort(key=lambda k: -groups[k]["revenue"])
        rows = []
        for k in keys:
            g = groups[k]
            row = {by: k, "orders": len(g["orders"]), "revenue": d.amount(g["revenue"])}
            if compare:
                bk = previous(by, k, compare == "year-ago") if is_period else k
                prev = before[bk]["revenue"] if bk in before else 0
                row["before"] = d.amount(prev)
                row["change"] = d.amount(g["revenue"] - prev)
                row["change_pct"] = "-" if prev == 0 else f"{100.0 * (g['revenue'] - prev) / abs(prev):+.1f}%"
            rows.append(row)
        # The totals count each sale once, whatever the grouping.
        whole = self.revenue_groups("year", f, t, who)
        self.facts(label, out, {"by": by, "from": f, "to": t, "currency": d.base,
                                "revenue": d.amount(sum(g["revenue"] for g in whole.values())),
                                "orders": sum(len(g["orders"]) for g in whole.values())})
        self.rows(label, out.get(by), rows)
        missing = sorted({f"no {s['currency']} rate on or before {s['day']} in rates.yaml"
                          for s in d.completed() if d.base_total(s) is None})
        # The warnings name every sale without a rate that the report's sums met.
        for w in out.get("warnings", []):
            if w not in missing:
                self.fail(label, f"unexpected warning {w!r}")

    def check_revenue(self):
        self.revenue("month")
        self.revenue("quarter")
        self.revenue("year")
        self.revenue("week", frm="2026-01-01", to="2026-03-31")
        self.revenue("product")
        self.revenue("category")
        self.revenue("country")
        self.revenue("source")
        self.revenue("payment")
        self.revenue("campaign")
        self.revenue("month", compare="previous")
        self.revenue("quarter", compare="year-ago")
        self.revenue("month", frm="2025-07-01", to="2026-06-30")
        self.revenue("country", frm="2026-01-01", to="2026-06-30", compare="previous")
        self.revenue("month", where='country = "DE"')
        self.revenue("product", where="vip")

    # ------------------------------------------------------------ top

    def top(self, by="revenue", frm=None, to=None, where=None, limit=None):
        d = self.d
        args = ["top", "--by", by] + (["--from", frm] if frm else []) + (["--to", to] if to else [])
        args += (["--where", where] if where else []) + (["--limit", str(limit)] if limit else [])
        label = " ".join(args)
        out = self.crm(*args)
        if out is None:
            return
        f, t = frm or "0000-01-01", to or "9999-12-31"
        per = {}
        for s in d.completed(f, t, self.who(where)):
            c = per.setdefault(s["contact"], {"orders": 0, "revenue": 0, "margin": None})
            c["orders"] += "refund_of" not in s
            v = d.base_total(s)
            c["revenue"] += v or 0
            # item by item: an item without a cost leaves out only its own margin
            total = d.minor(s["total"], s["currency"])
            sub = d.minor(s.get("subtotal", s["total"]), s["currency"]) or total
            for it in s["items"]:
                if "cost" not in it:
                    continue
                share = Decimal(d.minor(it["total"], s["currency"]) * total) / Decimal(sub)
                share = int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))
                cost = Decimal(d.minor(it["cost"], s["currency"])) * Decimal(it["quantity"])
                cost = int(cost.quantize(Decimal(1), rounding=ROUND_HALF_UP))
                m = d.to_base(share - cost, s["currency"], s["day"])
                if m is not None:
                    c["margin"] = (c["margin"] or 0) + m
        value = {"revenue": lambda c: c["revenue"], "orders": lambda c: c["orders"],
                 "margin": lambda c: c["margin"] or 0}[by]
        total = sum(value(c) for c in per.values())
        name = lambda cid: d.contacts[cid]["name"]
        order = sorted(per, key=lambda cid: (-value(per[cid]), name(cid).encode()))
        rows = []
        for i, cid in enumerate(order[:limit or 10]):
            c = per[cid]
            rows.append({"rank": i + 1, "contact": cid, "name": name(cid), "revenue": d.amount(c["revenue"]),
                         "orders": c["orders"], "margin": "" if c["margin"] is None else d.amount(c["margin"]),
                         "share": percent(value(c), total)})
        self.facts(label, out, {"customer_count": len(per), "total": str(total) if by == "orders" else d.amount(total)})
        self.rows(label, out.get("customers"), rows)

    def check_top(self):
        self.top("revenue")
        self.top("orders", limit=15)
        self.top("margin")
        self.top("revenue", frm="2026-01-01", to="2026-06-30")
        self.top("revenue", where="vip", limit=50)
        self.top("orders", where='country = "DE"')

    # ------------------------------------------------------------ rfm

    def rfm(self, frm=None, to=None, where=None):
        d = self.d
        args = ["rfm"] + (["--from", frm] if frm else []) + (["--to", to] if to else [])
        args += ["--where", where] if where else []
        label = " ".join(args)
        out = self.crm(*args)
        if out is None:
            return
        f, t = frm or "0000-01-01", to or "9999-12-31"
        a, b = int(d.config["rfm"]["a"]), int(d.config["rfm"]["b"])
        per = {}
        for s in d.completed(f, t):
            c = per.setdefault(s["contact"], {"last": None, "orders": 0, "revenue": 0})
            if "refund_of" not in s:
                c["orders"] += 1
                c["last"] = max(c["last"] or "", s["day"])
            c["revenue"] += d.base_total(s) or 0
        per = {k: v for k, v in per.items() if v["orders"] > 0}
        n = len(per)

        def score(field):
            # rank as SQL rank(): 1 + how many are strictly lower; ties share it
            vals = [v[field] for v in per.values()]
            return {k: 1 + (5 * sum(1 for x in vals if x < v[field])) // n for k, v in per.items()}

        r, fq, m = score("last"), score("orders"), score("revenue")
        rows = {}
        for k, v in per.items():
            total = r[k] + fq[k] + m[k]
            rows[k] = {"contact": k, "name": d.contacts[k]["name"], "last_purchase": v["last"],
                       "days": ddays(v["last"], TODAY), "orders": v["orders"], "revenue": d.amount(v["revenue"]),
                       "r": r[k], "f": fq[k], "m": m[k], "score": total,
                       "class": "A" if total >= a else "B" if total >= b else "C", "_rev": v["revenue"]}
        who = self.who(where)
        shown = [x for k, x in rows.items() if who is None or k in who]
        got = out.get("customers", [])
        # Ordered by score, then revenue (ties after that follow the name's sort key).
        keys = [(g.get("score"), d.minor(g.get("revenue", "0"), d.base)) for g in got]
        if keys != sorted(keys, reverse=True):
            self.fail(label, "customers not in order of score, then revenue")
        self.rows(label, got, [{k: v for k, v in x.items() if k != "_rev"} for x in shown], key="contact")
        classes = []
        all_rev = sum(x["_rev"] for x in shown)
        for cls in "ABC":
            xs = [x for x in shown if x["class"] == cls]
            rev = sum(x["_rev"] for x in xs)
            classes.append({"class": cls, "customers": len(xs), "revenue": d.amount(rev), "share": percent(rev, all_rev)})
        self.rows(label, out.get("classes"), classes)
        self.facts(label, out, {"a": a, "b": b})

    def check_rfm(self):
        self.rfm()
        self.rfm(frm="2025-06-01", to="2026-05-31")
        self.rfm(where="vip")

    # ------------------------------------------------------------ churn, reorder

    def factor(self):
        return float(Decimal(self.d.config["churn"]["factor"]))

    def rhythms(self, upto, as_of, who=None):
        per = {}
        for s in self.d.completed("0000-01-01", upto, who, orders_only=True):
            per.setdefault(s["contact"], []).append(s["day"])
        out = {}
        for cid, days in per.items():
            if len(days) < 2:
                continue
            first, last = min(days), max(days)
            interval = max(1.0, ddays(first, last) / (len(days) - 1))
            out[cid] = {"name": self.d.contacts[cid]["name"], "orders": len(days), "first": first, "last": last,
                        "interval": interval, "since": ddays(last, as_of)}
        return out

    def churn(self, by="month", frm=None, to=None, where=None):
        d = self.d
        args = ["churn", "--by", by] + (["--from", frm] if frm else []) + (["--to", to] if to else [])
        args += ["--where", where] if where else []
        label = " ".join(args)
        out = self.crm(*args)
        if out is None:
            return
        f, t = frm or "0000-01-01", to or "9999-12-31"
        as_of = to or TODAY
        who = self.who(where)
        factor = self.factor()
        slipping = []
        for cid, r in self.rhythms(t, as_of, who).items():
            if r["since"] > factor * r["interval"]:
                slipping.append({"contact": cid, "name": r["name"], "orders": r["orders"], "last_purchase": r["last"],
                                 "usual_days": f"{r['interval']:.1f}", "days_since": r["since"],
                                 "times": f"{r['since'] / r['interval']:.1f}", "_x": r["since"] / r["interval"]})
        got = out.get("customers", [])
        xs = [next((s["_x"] for s in slipping if s["contact"] == g.get("contact")), 0) for g in got]
        if xs != sorted(xs, reverse=True):
            self.fail(label, "slipping customers not in order of times their interval")
        self.rows(label, got, [{k: v for k, v in s.items() if k != "_x"} for s in slipping], key="contact")
        self.facts(label, out, {"as_of": as_of, "slipping": len(slipping), "factor": d.config["churn"]["factor"]})
        buyers = {}
        for s in d.completed(f, t, who, orders_only=True):
            buyers.setdefault(period(by, s["day"]), set()).add(s["contact"])
        rows = []
        if buyers:
            # Up to the last period over on the report's day: the one under way
            # is not counted (its customers may still buy in it).
            current = period(by, as_of)
            keys = [current if period(by, add_days(as_of, 1)) != current else previous(by, current)]
            while keys[-1] > min(buyers):
                keys.append(previous(by, keys[-1]))
            keys.reverse()
            for prev, cur in zip(keys, keys[1:]):
                before, now = buyers.get(prev, set()), buyers.get(cur, set())
                kept = len(before & now)
                rows.append({by: cur, "customers_before": len(before), "retained": kept,
                             "churned": len(before) - kept, "churn_rate": percent(len(before) - kept, len(before))})
        self.rows(label, out.get("periods"), rows)
        lost = {}
        for cid, c in d.contacts.items():
            if c.get("stage") == "lost" and (who is None or cid in who):
                k = (c.get("lost_to", ""), c.get("lost_reason", ""))
                lost[k] = lost.get(k, 0) + 1
        self.rows(label, out.get("lost"), [{"lost_to": k[0], "reason": k[1], "contacts": n} for k, n in
                                           sorted(lost.items(), key=lambda kv: (-kv[1], kv[0][0].encode(),
                                                                                kv[0][1].encode()))])

    def check_churn(self):
        self.churn()
        self.churn(by="quarter", frm="2025-01-01")
        self.churn(to="2026-06-30")
        self.churn(by="quarter", where="vip")

    def reorder(self, frm=None, to=None):
        args = ["reorder"] + (["--from", frm] if frm else []) + (["--to", to] if to else [])
        label = " ".join(args)
        out = self.crm(*args)
        if out is None:
            return
        horizon = to or add_days(TODAY, 14)
        factor = self.factor()
        rows = []
        for cid, r in self.rhythms(TODAY, TODAY).items():
            if r["since"] > factor * r["interval"]:
                continue  # churning
            nxt = add_days(r["last"], llround(r["interval"]))
            if nxt > horizon or (frm and nxt < frm):
                continue
            rows.append({"contact": cid, "name": r["name"], "orders": r["orders"], "last_purchase": r["last"],
                         "usual_days": f"{r['interval']:.1f}", "next_due": nxt, "days": ddays(TODAY, nxt)})
        rows.sort(key=lambda x: (x["next_due"], x["name"].encode()))
        self.rows(label, out.get("customers"), rows)
        self.facts(label, out, {"as_of": TODAY, "until": horizon, "customer_count": len(rows)})

    def check_reorder(self):
        self.reorder()
        self.reorder(to="2027-03-31")
        self.reorder(frm="2026-12-01", to="2027-01-31")

    # ------------------------------------------------------------ lifecycle

    def lifecycle(self, frm=None, to=None, where=None):
        d = self.d
        args = ["lifecycle"] + (["--from", frm] if frm else []) + (["--to", to] if to else [])
        args += ["--where", where] if where else []
        label = " ".join(args)
        out = self.crm(*args)
        if out is None:
            return
        f, t = frm or "0000-01-01", to or "9999-12-31"
        who = self.who(where)
        now = {}
        for cid, c in d.contacts.items():
            if who is None or cid in who:
                s = c.get("stage", "(none)")
                now[s] = now.get(s, 0) + 1
        moves = {}
        for a in d.activities:
            if a["kind"] == "stage" and f <= a["day"] <= t and (who is None or a["contact"] in who):
                k = (a.get("from", "(none)"), a.get("to", "(none)"))
                moves[k] = moves.get(k, 0) + 1
        entered, left = {}, {}
        for (fr, to_), n in moves.items():
            entered[to_] = entered.get(to_, 0) + n
            left[fr] = left.get(fr, 0) + n
        stages = [{"stage": s, "contacts": now.get(s, 0), "entered": entered.get(s, 0), "left": left.get(s, 0)}
                  for s in STAGES + ["(none)"] if now.get(s) or s in entered or s in left]
        self.rows(label, out.get("stages"), stages)
        self.rows(label, out.get("moves"), [{"from": k[0], "to": k[1], "contacts": n} for k, n in
                                            sorted(moves.items(), key=lambda kv: (-kv[1], kv[0][0].encode(),
                                                                                  kv[0][1].encode()))])
        self.facts(label, out, {"contacts": sum(now.values())})

    def check_lifecycle(self):
        self.lifecycle()
        self.lifecycle(frm="2025-06-01", to="2026-05-31")
        self.lifecycle(where="vip")

    # ------------------------------------------------------------ conversion

    def conversion_day(self, cid):
        days = [a["day"] for a in self.d.activities
                if a["contact"] == cid and a["kind"] == "stage" and a.get("to") == "customer"]
        days += [s["day"] for s in self.d.completed(who={cid}, orders_only=True)]
        return min(days) if days else None

    def conversion(self, by="month", frm=None, to=None, where=None):
        d = self.d
        args = ["conversion", "--by", by] + (["--from", frm] if frm else []) + (["--to", to] if to else [])
        args += ["--where", where] if where else []
        label = " ".join(args)
        out = self.crm(*args)
        if out is None:
            return
        f, t = frm or "0000-01-01", to or "9999-12-31"
        who = self.who(where)
        inr = lambda day: day is not None and f <= day <= t
        per, sources = {}, {}
        row = lambda p: per.setdefault(p, {"new_contacts": 0, "converted": 0, "interactions": 0, "sales": 0})
        for cid, c in d.contacts.items():
            if who is not None and cid not in who:
                continue
            created = c["created"][:10]
            conv = self.conversion_day(cid)
            if inr(created):
                row(period(by, created))["new_contacts"] += 1
                s = sources.setdefault(c.get("source", "(none)"), {"contacts": 0, "converted": 0, "days": 0})
                s["contacts"] += 1
                if conv:
                    s["converted"] += 1
                    s["days"] += max(0, ddays(created, conv))
            if inr(conv):
                row(period(by, conv))["converted"] += 1
        for a in d.activities:
            if a["kind"] != "stage" and inr(a["day"]) and (who is None or a["contact"] in who):
                row(period(by, a["day"]))["interactions"] += 1
        for s in d.completed(f, t, who, orders_only=True):
            row(period(by, s["day"]))["sales"] += 1
        rows = []
        for p in sorted(per):
            c = per[p]
            rows.append({by: p, **c, "rate": percent(c["converted"], c["new_contacts"]),
                         "sales_per_interaction": f"{c['sales'] / c['interactions']:.2f}" if c["interactions"] else "-"})
        self.rows(label, out.get("periods"), rows)
        src = sorted(sources, key=lambda k: k.encode())
        src.sort(key=lambda k: -sources[k]["converted"])
        self.rows(label, out.get("sources"), [
            {"source": k, "contacts": sources[k]["contacts"], "converted": sources[k]["converted"],
             "rate": percent(sources[k]["converted"], sources[k]["contacts"]),
             "average_days": f"{sources[k]['days'] / sources[k]['converted']:.1f}" if sources[k]["converted"] else "-"}
            for k in src])
        self.facts(label, out, {k: sum(c[k] for c in per.values())
                                for k in ("new_contacts", "converted", "interactions", "sales")})

    def check_conversion(self):
        self.conversion()
        self.conversion(by="quarter")
        self.conversion(frm="2025-03-01", to="2025-12-31")
        self.conversion(by="year", where="has:email")

    # ------------------------------------------------------------ leads

    def interactions(self, cid):
        return sum(1 for a in self.d.activities if a["contact"] == cid and a["kind"] != "stage")

    def leads(self, frm=None, to=None, where=None):
        d = self.d
        args = ["leads"] + (["--from", frm] if frm else []) + (["--to", to] if to else [])
        args += ["--where", where] if where else []
        label = " ".join(args)
        out = self.crm(*args)
        if out is None:
            return
        f, t = frm or "0000-01-01", to or "9999-12-31"
        who = self.who(where)
        rules = d.config.get("lead_scoring") or []
        rows = []
        for cid, c in d.contacts.items():
            if c.get("stage") not in ("lead", "prospect") or not f <= c["created"][:10] <= t:
                continue
            if who is not None and cid not in who:
                continue
            fired = [r for r in rules if WHERE[r["where"]](c)]
            rows.append({"contact": cid, "name": c["name"], "stage": c["stage"], "source": c.get("source", ""),
                         "score": sum(int(r["points"]) for r in fired),
                         "rules": ", ".join(f"{r['where']} ({int(r['points']):+d})" for r in fired)})
        rows.sort(key=lambda x: (-x["score"], x["name"].encode()))
        self.rows(label, out.get("leads"), rows)
        self.facts(label, out, {"lead_count": len(rows), "rules": len(rules)})

    def learn(self, frm=None, to=None):
        d = self.d
        args = ["leads", "--learn"] + (["--from", frm] if frm else []) + (["--to", to] if to else [])
        label = " ".join(args)
        out = self.crm(*args)
        if out is None:
            return
        f, t = frm or "0000-01-01", to or "9999-12-31"
        tally, n_all, n_conv = {}, 0, 0
        for cid, c in d.contacts.items():
            moves = [a for a in d.activities if a["contact"] == cid and a["kind"] == "stage"]
            was_lead = c.get("stage") in ("lead", "prospect") or any(
                a.get("from") in ("lead", "prospect") or a.get("to") in ("lead", "prospect") for a in moves)
            created = c["created"][:10]
            if not was_lead or not f <= created <= t:
                continue
            conv = c.get("stage") == "customer" or any(a.get("to") == "customer" for a in moves) or any(
                s["contact"] == cid for s in d.completed())
            n_all += 1
            n_conv += conv
            early = sum(1 for a in d.activities if a["contact"] == cid and a["kind"] != "stage"
                        and a["day"] <= add_days(created, 30))
            values = [("source", c.get("source")), ("country", c.get("country")), ("prefers", c.get("prefers"))]
            values += [("tag", x) for x in c.get("tags") or []]
            values.append(("first_30_days", "0 interactions" if early == 0 else
                           "1-2 interactions" if early <= 2 else "3+ interactions"))
            for k in values:
                if k[1]:
                    x = tally.setdefault(k, [0, 0])
                    x[0] += 1
                    x[1] += conv
        base = n_conv / n_all if n_all else 0
        rows = []
        for k in sorted(tally, key=lambda k: (k[0].encode(), k[1].encode())):
            leads, conv = tally[k]
            rate = conv / leads
            lift = rate / base if base > 0 else 0
            points = max(-50, min(50, llround(20.0 * (lift - 1.0))))
            rows.append({"attribute": k[0], "value": k[1], "leads": leads, "customers": conv,
                         "rate": percent(conv, leads), "lift": f"{lift:.2f}" if base > 0 else "-",
                         "points": points if leads >= 3 and base > 0 else 0})
        rows.sort(key=lambda r: -r["points"])
        self.rows(label, out.get("attributes"), rows)
        self.facts(label, out, {"leads": n_all, "converted": n_conv})

    def check_leads(self):
        self.leads()
        self.leads(frm="2025-06-01")
        self.leads(where="has:email")
        self.learn()
        self.learn(frm="2025-01-01", to="2025-12-31")

    # ------------------------------------------------------------ campaigns

    def campaigns(self, frm=None, to=None, where=None):
        d = self.d
        args = ["campaigns"] + (["--from", frm] if frm else []) + (["--to", to] if to else [])
        args += ["--where", where] if where else []
        label = " ".join(args)
        out = self.crm(*args)
        if out is None:
            return
        f, t = frm or "0000-01-01", to or "9999-12-31"
        who = self.who(where)
        rows, rev_all, cost_all = [], 0, 0
        for k in sorted(d.campaigns, key=lambda k: k["name"].encode()):
            names = (k["id"], k["name"])
            responders = {a["contact"] for a in d.activities if a.get("campaign") in names and
                          a.get("direction") == "in" and f <= a["day"] <= t and (who is None or a["contact"] in who)}
            sales = [s for s in d.completed(f, t, who) if s.get("campaign") in names]
            revenue = sum(d.base_total(s) or 0 for s in sales)
            cur = k.get("currency", d.base)
            cost = d.to_base(d.minor(k["cost"], cur), cur, k.get("start", TODAY)) if "cost" in k else None
            audience = len(k.get("audience") or [])
            rows.append({"campaign": k["id"], "name": k["name"], "channel": k.get("channel", ""),
                         "start": k.get("start", ""), "audience": audience, "responses": len(responders),
                         "response_rate": percent(len(responders), audience),
                         "sales": sum(1 for s in sales if "refund_of" not in s), "revenue": d.amount(revenue),
                         "cost": "" if cost is None else d.amount(cost),
                         "return": f"{100.0 * (revenue - cost) / cost:+.1f}%" if cost else "-"})
            rev_all += revenue
            cost_all += cost or 0
        rows.sort(key=lambda r: r["start"], reverse=True)
        self.rows(label, out.get("campaigns"), rows)
        self.facts(label, out, {"revenue": d.amount(rev_all), "cost": d.amount(cost_all)})

    def check_campaigns(self):
        self.campaigns()
        self.campaigns(frm="2025-03-01", to="2025-03-31")
        self.campaigns(where='country = "DE"')

    # ------------------------------------------------------------ feedback

    def feedback(self, frm=None, to=None, where=None):
        d = self.d
        args = ["feedback"] + (["--from", frm] if frm else []) + (["--to", to] if to else [])
        args += ["--where", where] if where else []
        label = " ".join(args)
        out = self.crm(*args)
        if out is None:
            return
        f, t = frm or "0000-01-01", to or "9999-12-31"
        who = self.who(where)
        prods = {}
        P = lambda name: prods.setdefault(name, {"sales": set(), "complaints": 0, "returns": 0, "ratings": []})
        for s in d.completed(f, t, who, orders_only=True):
            for it in s["items"]:
                P(d.product_name(it))["sales"].add(s["id"])
        fbs = [x for x in d.feedback if f <= x["day"] <= t and (who is None or x["contact"] in who)]
        for x in fbs:
            if "product" not in x:
                continue
            p = P(d.products[x["product"]]["name"] if x["product"] in d.products else x["product"])
            p["complaints"] += x["kind"] == "complaint"
            p["returns"] += x["kind"] == "return"
            if "rating" in x:
                p["ratings"].append(int(x["rating"]))
        all_sales = sum(len(p["sales"]) for p in prods.values())
        all_compl = sum(p["complaints"] for p in prods.values())
        rows, flagged = [], 0
        names = sorted(prods, key=lambda k: k.encode())
        names.sort(key=lambda k: -(prods[k]["complaints"] + prods[k]["returns"]))
        for name in names:
            p = prods[name]
            n = len(p["sales"])
            others_rate = (all_compl - p["complaints"]) / (all_sales - n) if all_sales - n else 0
            high = p["complaints"] >= 2 and n > 0 and (all_sales == n or p["complaints"] / n > 2 * others_rate)
            flagged += high
            rows.append({"product": name, "sales": n, "complaints": p["complaints"], "returns": p["returns"],
                         "complaint_rate": percent(p["complaints"], n),
                         "rating": f"{sum(p['ratings']) / len(p['ratings']):.1f}" if p["ratings"] else "",
                         "flag": "high complaint rate" if high else ""})
        self.rows(label, out.get("products"), rows)
        ratings = [int(x["rating"]) for x in fbs if "rating" in x]
        nps = [int(x["nps"]) for x in fbs if "nps" in x]
        mins = sorted(int(x["resolution_minutes"]) for x in fbs if "resolution_minutes" in x)
        median = "-"
        if mins:
            m = mins[len(mins) // 2] if len(mins) % 2 else (mins[len(mins) // 2 - 1] + mins[len(mins) // 2]) // 2
            h, mm = divmod(m, 60)
            median = f"{mm}m" if h == 0 else f"{h}h" if mm == 0 else f"{h}h{mm}m"
        opened = sum(1 for x in fbs if x["status"] == "open")
        summary = {"feedback": len(fbs), "open": opened, "resolved": len(fbs) - opened,
                   "average_rating": f"{sum(ratings) / len(ratings):.1f}" if ratings else "-",
                   "nps": f"{100.0 * (sum(n >= 9 for n in nps) - sum(n <= 6 for n in nps)) / len(nps):+.0f}" if nps else "-",
                   "median_resolution": median}
        self.rows(label, out.get("summary"), [summary])
        self.facts(label, out, {"feedback": len(fbs), "open": opened, "resolved": len(fbs) - opened,
                                "flagged": flagged})

    def check_feedback(self):
        self.feedback()
        self.feedback(frm="2026-01-01", to="2026-06-30")
        self.feedback(where="vip")

    # ------------------------------------------------------------ cross-sell

    def bought(self, f, t, who):
        out = {}
        for s in self.d.completed(f, t, who, orders_only=True):
            for it in s["items"]:
                out.setdefault(s["contact"], set()).add(self.d.product_name(it))
        return out

    def cross_sell(self, frm=None, to=None, where=None, limit=None):
        args = ["cross-sell"] + (["--from", frm] if frm else []) + (["--to", to] if to else [])
        args += (["--where", where] if where else []) + (["--limit", str(limit)] if limit else [])
        label = " ".join(args)
        out = self.crm(*args)
        if out is None:
            return
        bought = self.bought(frm or "0000-01-01", to or "9999-12-31", self.who(where))
        n = len(bought)
        single, pairs = {}, {}
        for ps in bought.values():
            ps = sorted(ps, key=lambda p: p.encode())
            for i, a in enumerate(ps):
                single[a] = single.get(a, 0) + 1
                for b in ps[i + 1:]:
                    pairs[(a, b)] = pairs.get((a, b), 0) + 1
        lift = lambda k: pairs[k] * n / (single[k[0]] * single[k[1]])
        keys = sorted(pairs, key=lambda k: (k[0].encode(), k[1].encode()))
        keys.sort(key=lambda k: (-pairs[k], -lift(k)))
        rows = [{"product_a": k[0], "product_b": k[1], "customers": pairs[k], "support": percent(pairs[k], n),
                 "lift": f"{lift(k):.2f}"} for k in keys[:limit or 20]]
        self.rows(label, out.get("pairs"), rows)
        self.facts(label, out, {"customers": n, "pair_count": len(pairs)})

    def suggestions(self, cid):
        label = f"cross-sell --contact {cid}"
        out = self.crm("cross-sell", "--contact", cid)
        if out is None:
            return
        bought = self.bought("0000-01-01", "9999-12-31", None)
        mine = bought.get(cid, set())
        votes, similar = {}, 0
        for c, ps in bought.items():
            if c == cid or not ps & mine:
                continue
            similar += 1
            for p in ps - mine:
                votes[p] = votes.get(p, 0) + 1
        keys = sorted(votes, key=lambda k: k.encode())
        keys.sort(key=lambda k: -votes[k])
        self.rows(label, out.get("suggestions"),
                  [{"product": k, "customers": votes[k], "share": percent(votes[k], similar)} for k in keys[:10]])
        self.facts(label, out, {"similar_customers": similar})

    def check_cross_sell(self):
        self.cross_sell()
        self.cross_sell(limit=100)
        self.cross_sell(frm="2026-01-01", to="2026-12-31", limit=100)
        self.cross_sell(where="vip", limit=100)
        top = sorted(self.bought("0000-01-01", "9999-12-31", None).items(), key=lambda kv: (len(kv[1]), kv[0]))
        for cid, _ in (top[0], top[len(top) // 2], top[-1]):
            self.suggestions(cid)


def check_facts(ck):
    """Every fact of a report (counts, totals) must survive in its JSON document."""
    ck.top()
    ck.reorder()
    ck.leads()
    ck.cross_sell()
    ck.rfm()
    ck.churn()
    ck.feedback()
    ck.campaigns()
    ck.lifecycle()
    ck.conversion()
    ck.revenue()
    ck.failures = 0  # only the hidden facts count here
    for report, fact in sorted(ck.hidden):
        ck.fail(report, f"fact {fact!r} is missing from the JSON: the table of the same name replaced it")


def main():
    if len(sys.argv) < 3 or "CRM" not in os.environ:
        print("usage: CRM=path/to/crm report_check.py WORKSPACE GROUP...", file=sys.stderr)
        return 2
    ck = Checker(sys.argv[1], Data(sys.argv[1]))
    for group in sys.argv[2:]:
        if group == "facts":
            check_facts(ck)
        else:
            getattr(ck, "check_" + group.replace("-", "_"))()
    print(f"{ck.checks} values compared, {ck.failures} mismatches")
    return 1 if ck.failures else 0


if __name__ == "__main__":
    sys.exit(main())
