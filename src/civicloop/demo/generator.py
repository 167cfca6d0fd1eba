"""Entry points of the demo: `generate` (run the steps), `district_reset`, `district_digest`.

Used by the `civicloop demo` command, by the tests and by the benchmark.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from typing import TextIO

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from civicloop.core import registry
from civicloop.core.errors import CivicError, ErrorCode
from civicloop.orgs.models import Person, Unit, User
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Enterprise, Household, ParkBuilding, Place, Zone

from . import steps
from .context import GenerationContext, GenerationStats, Timer
from .fixtures import load_divisions
from .organisation import key_logins

PRESETS = {"xuhui": load_divisions}
BULK_CACHE_KIB = 256 * 1024


def preset_district_code(preset: str) -> str:
    if preset not in PRESETS:
        raise CivicError(ErrorCode.INVALID, _("未知的演示预设：%(preset)s。"), preset=preset)
    return PRESETS[preset]()["district"]["code"]


def preset_district(preset: str) -> Place | None:
    return Place.objects.filter(code=preset_district_code(preset), level=PlaceLevel.DISTRICT).first()


@transaction.atomic
def generate(preset: str = "xuhui", scale: float = 0.02, seed: int = 1, stdout: TextIO | None = None,
             apps=None) -> GenerationStats:
    """Generate the preset's district from nothing. Refuses (DUPLICATE) if the district already exists. `apps`: the
    labels of the apps whose demo steps run after the demo's own (None: every app's; tests of the territory, the
    units and the logins pass () and skip the cases, visits, plans … they do not read)."""
    if scale <= 0:
        raise CivicError(ErrorCode.INVALID, _("规模须大于 0。"))
    if preset_district(preset) is not None:
        raise CivicError(ErrorCode.DUPLICATE, _("演示数据已存在。"))
    stats = GenerationStats(preset=preset, scale=scale, seed=seed)
    ctx = GenerationContext(preset=preset, scale=scale, seed=seed, stats=stats, stdout=stdout)
    # make_password is deliberately slow: hash once, reuse for every demo login.
    ctx.password_hash = make_password(settings.CIVICLOOP["DEMO_PASSWORD"])
    total = Timer()
    with _bulk_settings():
        for step in [*steps.STEPS, *registry.demo_steps(apps)]:  # the demo's own, then the other apps'
            t = Timer()
            step(ctx)
            stats.step_seconds[step.__name__] = round(t.seconds, 2)
            ctx.log(f"  {step.__name__}: {t.seconds:.1f} s (CPU {t.cpu:.1f} s)")
    stats.seconds = round(total.seconds, 2)
    stats.logins = key_logins()
    stats.all_logins = ctx.extra.get("all_logins", [])
    return stats


@contextmanager
def _bulk_settings():
    """SQLite: a page cache of 256 MB while generating (the default 2 MB makes every index insert of the millions of
    case events read its pages from the OS again); the previous size afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-BULK_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def refresh_statistics() -> float:
    """After a bulk load: planner statistics and (PostgreSQL) the visibility map, so the first queries use the
    indexes the way they will after autovacuum — index-only scans included (inside a transaction, as in tests:
    ANALYZE only)."""
    t = Timer()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:  # VACUUM refuses transactions
            cursor.execute("VACUUM (ANALYZE)")
        else:
            cursor.execute("ANALYZE")
    return t.seconds


@transaction.atomic
def district_reset(district: Place) -> None:
    """Delete every generated row of `district` (the apps' registered reset steps first, then the demo's own tables).

    The superuser `admin` is kept (it has no district); tags are shared and kept.
    """
    for reset_step in registry.demo_reset_steps():
        reset_step(district)
    for model in (Household, Enterprise):
        model.tags.through.objects.filter(**{f"{model._meta.model_name}__district": district}).delete()
        qs = model.objects.filter(district=district)
        # No signals or cascades remain once the tag rows are gone; a raw DELETE avoids loading 180,000 rows.
        qs._raw_delete(qs.db)
    ParkBuilding.objects.filter(district=district).delete()
    Zone.objects.filter(district=district).delete()
    Person.objects.filter(district=district).delete()
    User.objects.filter(district=district).delete()
    units = Unit.objects.filter(district=district)
    units.update(parent=None)
    units.delete()
    for level in (PlaceLevel.BUILDING, PlaceLevel.COMPOUND, PlaceLevel.COMMUNITY, PlaceLevel.STREET):
        qs = Place.objects.filter(district=district, level=level)
        qs._raw_delete(qs.db)  # children went first; other references (units, households …) are gone
    Place.objects.filter(pk=district.pk).update(district=None)
    Place.objects.filter(pk=district.pk).delete()


def district_digest(district: Place) -> str:
    """A fingerprint of what was generated (codes, names, tags, logins) — equal for equal seeds."""
    h = hashlib.sha256()

    def feed(rows) -> None:
        for row in rows:
            h.update(repr(row).encode())

    feed(Place.objects.filter(path__startswith=district.path).order_by("code").values_list("code", "name", "address"))
    feed(Household.objects.filter(district=district).order_by("code").values_list("code", "head_name", "head_id_number", "members"))
    feed(Household.tags.through.objects.filter(household__district=district)
         .order_by("household__code", "tag__code").values_list("household__code", "tag__code"))
    feed(Enterprise.objects.filter(district=district).order_by("credit_code").values_list("credit_code", "name", "street__code", "park_building__code"))
    feed(ParkBuilding.objects.filter(district=district).order_by("code").values_list("code", "name", "street__code"))
    feed(Unit.objects.filter(district=district).order_by("code").values_list("code", "name"))
    feed(User.objects.filter(district=district).order_by("username").values_list("username", "display_name", "unit__code"))
    feed(Person.objects.filter(district=district).order_by("code").values_list("code", "name", "kind", "id_number"))
    return h.hexdigest()
