"""civicloop import <kind> <file> [--dry-run] [--user USERNAME] [--district CODE]"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from civicloop.core.errors import CivicError
from civicloop.imports.kinds import KINDS
from civicloop.imports.services import import_run
from civicloop.orgs.models import User

PROGRESS_FROM = 2000  # rows; shorter files import without a bar


def tqdm_progress(items, *, label="", total=None, min_total=PROGRESS_FROM):
    total = total if total is not None else (len(items) if hasattr(items, "__len__") else None)
    if total is not None and total < min_total:
        return items
    return tqdm(items, total=total, desc=str(label), file=sys.stderr, leave=False, mininterval=0.5, disable=None)


class Command(BaseCommand):
    help = "Import a .xlsx or .csv file of one kind. Writes nothing when any row is bad (exit code 1)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--user", help="import as this user (a district admin); default: the first superuser")
        parser.add_argument("--district", help="district code (needed by a superuser when there are several)")

    def handle(self, *args, kind, file, dry_run, user, district, **options):
        actor = self._actor(user)
        try:
            result = import_run(actor=actor, kind=kind, file_path_or_bytes=file, dry_run=dry_run,
                                district_code=district, progress=tqdm_progress)
        except CivicError as exc:
            self.stderr.write(exc.message)
            for d in exc.details:
                self.stderr.write(" · ".join(str(d[k]) for k in ("where", "field", "reason") if d.get(k)))
            raise CommandError(_("导入失败：%(code)s") % {"code": exc.code.value}, returncode=1) from None
        except OSError as exc:
            raise CommandError(str(exc), returncode=2) from None
        verb = _("试运行（未写入）") if result.dry_run else _("已导入")
        self.stdout.write(
            _("%(verb)s %(rows)s 行：新增 %(created)s，更新 %(updated)s，未变 %(unchanged)s（%(seconds)s 秒）")
            % {"verb": verb, "rows": result.rows, "created": result.created, "updated": result.updated,
               "unchanged": result.unchanged, "seconds": result.seconds}
        )
        if result.skipped:
            self.stdout.write(_("跳过 %(n)s 行。") % {"n": result.skipped})
        for notice in result.notices:
            self.stdout.write(notice)

    def _actor(self, username: str | None) -> User:
        if username:
            actor = User.objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(_("用户 %(name)s 不存在。") % {"name": username}, returncode=2)
            return actor
        actor = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if actor is None:
            raise CommandError(_("请用 --user 指定导入人（区管理员）。"), returncode=2)
        return actor
