"""Write an .xlsx of N NEW households on the demo's existing buildings, in the `households` import format.

Usage: DATABASE_URL=… python bench/make_households.py PATH N [--seed S]
The demo (any scale) must exist in that database. Headers come from the import kind's own column spec (the same
as `civicloop import_template households`); codes are `<building code>-<room>` with rooms that do not exist yet;
ID numbers pass GB 11643 (core.validators.make_id_number). Written with xlsxwriter constant_memory.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicloop.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    import django

    django.setup()
    import xlsxwriter

    from civicloop.core.validators import make_id_number
    from civicloop.imports.kinds import KINDS
    from civicloop.places.constants import PlaceLevel
    from civicloop.places.models import Household, Place

    district = Place.objects.filter(level=PlaceLevel.DISTRICT, code__startswith="310104").first()
    if district is None:
        raise SystemExit("no demo district: run `civicloop demo --preset xuhui` first")
    buildings = list(Place.objects.filter(district=district, level=PlaceLevel.BUILDING).order_by("code")
                     .values_list("code", "name", "lat", "lng"))
    existing = set(Household.objects.filter(district=district).values_list("code", flat=True))
    rng = random.Random(args.seed)
    columns = KINDS["households"].columns
    workbook = xlsxwriter.Workbook(args.path, {"constant_memory": True})
    sheet = workbook.add_worksheet("households")
    for col, column in enumerate(columns):
        sheet.write_string(0, col, str(column.header) + ("*" if column.required else ""))
    next_room = [0] * len(buildings)
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力"
    written = 0
    i = 0
    while written < args.n:
        b = i % len(buildings)
        i += 1
        code, name, lat, lng = buildings[b]
        next_room[b] += 1
        floor, unit = divmod(next_room[b] - 1, 8)
        room = f"{floor + 1:02d}{unit + 1:02d}"
        hh_code = f"{code}-{room}"
        if hh_code in existing or floor >= 99:
            continue
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(60 * 365))
        id_number = make_id_number(f"310104{born:%Y%m%d}{rng.randrange(1000):03d}")
        values = {
            "code": hh_code, "building": code, "room": room, "address": f"{name}{room}室",
            "head_name": rng.choice(surnames) + "".join(rng.choices(given, k=rng.randint(1, 2))),
            "head_phone": f"1{rng.choice('35789')}{rng.randrange(10**9):09d}", "head_id_number": id_number,
            "members": str(rng.randint(1, 5)), "lat": f"{float(lat or 31.18) + rng.uniform(-3e-4, 3e-4):.6f}",
            "lng": f"{float(lng or 121.43) + rng.uniform(-3e-4, 3e-4):.6f}", "tags": "",
        }
        written += 1
        for col, column in enumerate(columns):
            value = values.get(column.key, "")
            if value:
                sheet.write_string(written, col, value)
    workbook.close()
    print(f"{written} households → {args.path}")


if __name__ == "__main__":
    main()
