#!/usr/bin/env python3
"""Add K activity files per contact to a benchmark workspace (DESIGN.md 7: ~10 each).

    gen_activities.py WORKSPACE_DIR K [--seed S]

Reads the contact ids from WORKSPACE_DIR/contacts/*.yaml (file names, sorted) and
writes activities/YYYY/MM/<id>.yaml in the layout crm writes: kind, contact, at,
direction, duration, summary. Same arguments -> byte-identical output.
"""

import argparse
import os
import random

KINDS = ["call", "email", "meeting", "text", "note", "chat"]
SUFFIX_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
SUMMARIES = [
    "talked about the spring order; wants a quote by Friday",
    "sent the catalogue and the new price list",
    "asked about delivery times to Cluj-Napoca",
    "Gwenllïan's team needs the invoice in Welsh and English",
    "підтвердили замовлення на наступний місяць",
    "طلب عرض سعر للموقع الجديد",
    "درباره‌ی تخفیف سالانه صحبت کردیم",
    "follow-up on the complaint about the crushed boxes",
]


def civil(days):
    """Days since 1970-01-01 -> (y, m, d)."""
    z = days + 719468
    era = (z if z >= 0 else z - 146096) // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (m <= 2), m, d


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("workspace")
    ap.add_argument("k", type=int)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    contacts = sorted(f[:-5] for f in os.listdir(os.path.join(args.workspace, "contacts")) if f.endswith(".yaml"))
    start = 19723  # 2024-01-01
    made = set()
    for cid in contacts:
        for _ in range(args.k):
            day = start + rng.randrange(1060)
            y, m, d = civil(day)
            kind = KINDS[rng.randrange(len(KINDS))]
            suffix = "".join(SUFFIX_ALPHABET[rng.randrange(32)] for _ in range(4))
            slug = cid.rsplit("-", 1)[0]
            aid = f"{y:04}-{m:02}-{d:02}-{kind}-{slug}-{suffix}"
            if aid in made:
                continue
            made.add(aid)
            folder = os.path.join(args.workspace, "activities", f"{y:04}", f"{m:02}")
            os.makedirs(folder, exist_ok=True)
            at = f"{y:04}-{m:02}-{d:02}T{rng.randrange(8, 19):02}:{rng.randrange(60):02}:00+02:00"
            lines = [f"id: {aid}", f"kind: {kind}", f"contact: {cid}", f"at: {at}"]
            if kind != "note":
                lines.append(f"direction: {'in' if rng.randrange(3) == 0 else 'out'}")
            if kind in ("call", "meeting"):
                lines.append(f"duration: {5 * (1 + rng.randrange(12))}m")
            lines.append(f"summary: {SUMMARIES[rng.randrange(len(SUMMARIES))]}")
            lines += [f"created: {at}", f"updated: {at}"]
            with open(os.path.join(folder, aid + ".yaml"), "w", encoding="utf-8") as f:
                f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
