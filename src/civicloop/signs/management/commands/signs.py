"""civicloop signs simulate [--district CODE] [--every SECONDS] [--rounds N] [--seed N]"""

from __future__ import annotations

import random
import time

from django.core.management.base import BaseCommand, CommandError

from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Place


class Command(BaseCommand):
    help = "感知预警：向运行中的演示持续报送模拟读数（simulate）。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["simulate"])
        parser.add_argument("--district", default="310104000000", help="区编码（默认徐汇）")
        parser.add_argument("--every", type=float, default=60.0, help="每轮间隔秒数")
        parser.add_argument("--rounds", type=int, default=0, help="轮数（0：一直运行，Ctrl-C 停止）")
        parser.add_argument("--seed", type=int, default=None)

    def handle(self, *args, **options):
        from civicloop.signs.simulate import simulate_round

        district = Place.objects.filter(code=options["district"], level=PlaceLevel.DISTRICT).first()
        if district is None:
            raise CommandError("区不存在：先运行 civicloop demo。")
        rng, state, n = random.Random(options["seed"]), {}, 0
        try:
            while True:
                counts = simulate_round(district_id=district.pk, rng=rng, state=state)
                n += 1
                self.stdout.write(f"round {n}: {counts['stored']} stored, {counts['repeated']} repeated, "
                                  f"{counts['refused']} refused, {counts['changed']} alarms changed")
                if options["rounds"] and n >= options["rounds"]:
                    break
                time.sleep(options["every"])
        except KeyboardInterrupt:
            self.stdout.write("stopped")
