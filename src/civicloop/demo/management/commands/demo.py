"""`civicloop demo --preset xuhui [--scale S] [--seed N] [--reset]` — generate the demo district."""

from __future__ import annotations

import resource

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from civicloop.core.errors import CivicError
from civicloop.demo.generator import PRESETS, district_reset, generate, preset_district, refresh_statistics
from civicloop.demo.organisation import key_logins


class Command(BaseCommand):
    help = "生成演示数据（徐汇区，可重复：同一种子得到同样的数据）。"

    def add_arguments(self, parser):
        parser.add_argument("--preset", default="xuhui", choices=sorted(PRESETS))
        parser.add_argument("--scale", type=float, default=0.02, help="1 = 全量（约 18 万户、1.5 万家企业）")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--reset", action="store_true", help="先删除该区已生成的数据再重新生成")

    def handle(self, *args, preset: str, scale: float, seed: int, reset: bool, **options):
        existing = preset_district(preset)
        if existing is not None:
            if not reset:
                self.stdout.write(_("演示数据已存在（%(name)s）。要重新生成请加 --reset。") % {"name": existing.name})
                self._print_logins(key_logins())
                return
            self.stdout.write(_("正在删除 %(name)s 的演示数据……") % {"name": existing.name})
            district_reset(existing)
        self.stdout.write(_("正在生成演示数据：%(preset)s，规模 %(scale)s，种子 %(seed)s") % {"preset": preset, "scale": scale, "seed": seed})
        try:
            stats = generate(preset, scale=scale, seed=seed, stdout=self.stdout if options["verbosity"] >= 1 else None)
        except CivicError as exc:
            raise CommandError(exc.message) from exc
        seconds = refresh_statistics()
        if options["verbosity"] >= 1:
            self.stdout.write(f"  refresh_statistics: {seconds:.1f} s")
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write("")
        for table, n in sorted(stats.counts.items()):
            self.stdout.write(f"  {table:<28} {n:>9,}")
        self.stdout.write(
            _("完成：%(rows)s 行，用时 %(seconds).1f 秒（%(rate)s 行/秒），内存峰值 %(mb)d MB。")
            % {"rows": f"{stats.rows:,}", "seconds": stats.seconds, "rate": f"{stats.rows / max(stats.seconds, 1e-6):,.0f}", "mb": peak_mb}
        )
        self._print_logins(stats.logins)
        for note in stats.notes:
            self.stdout.write(note)
        if scale < 1:
            self.stdout.write(_("全量数据（约 18 万户）：civicloop demo --scale 1 --reset，或 make demo SCALE=1。"))

    def _print_logins(self, logins) -> None:
        password = settings.CIVICLOOP["DEMO_PASSWORD"]
        self.stdout.write("")
        self.stdout.write(_("演示账号（密码均为 %(password)s）：") % {"password": password})
        width = max(len(login) for login, _who in logins) + 2
        for login, who in logins:
            self.stdout.write(f"  {login:<{width}} {who}")
        self.stdout.write(_("打开 http://127.0.0.1:%(port)s/ 登录。") % {"port": settings.PORT})
