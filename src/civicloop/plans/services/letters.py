"""三书: targets, letters and their versions, acknowledgement.

A letter's content is built from the data (`plans.letters.build_content`); `letter_sync` stores a new version
when the content's digest differs from the latest version's — so a change after an acknowledgement makes a
version that needs acknowledging again. Task services sync the owner's 任务书, `target_set` the 目标责任书; the
检查反馈书 follows the assessment's findings, which this app does not write: its page shows when the data moved
on, a manager regenerates it, and acknowledging always syncs first (nobody acknowledges stale content)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.services import audit_write
from civicloop.orgs.models import Unit

from ..constants import LetterKind, PlansAudit
from ..error_codes import PlanErrorCode
from ..letters import build_content, digest
from ..models import Letter, LetterVersion, Target
from ..permissions import may_acknowledge, may_manage

MAX_TARGETS = 50


@transaction.atomic
def letter_sync(letter: Letter, *, actor=None) -> LetterVersion:
    """The letter's current version: a new one when its data changed since the latest (audited)."""
    locked = Letter.objects.select_for_update(of=("self",)).select_related("unit__territory").get(pk=letter.pk)
    content = build_content(locked, actor=actor)
    key = digest(content)
    latest = locked.versions.order_by("-number").first()
    if latest is not None and latest.digest == key:
        return latest
    version = LetterVersion.objects.create(district_id=locked.district_id, letter=locked,
                                           number=(latest.number + 1) if latest else 1, content=content, digest=key)
    audit_write(action=PlansAudit.LETTER_VERSION, user=actor if getattr(actor, "pk", None) else None,
                district_id=locked.district_id, object_type="plans.letter", object_id=locked.pk,
                details={"version": version.number})
    return version


def letters_sync_for_units(*, unit_ids: list[int], year: int, kind: str = LetterKind.TASKS, actor=None) -> None:
    """Sync the existing letters of `kind` of those units for `year` (a task or target changed)."""
    for letter in Letter.objects.filter(unit_id__in=unit_ids, year=year, kind=kind):
        letter_sync(letter, actor=actor)


@transaction.atomic
def letter_generate(*, actor, unit_id: int, year: int, kind: str) -> LetterVersion:
    """Create the unit's letter of `kind` for `year` if it has none, and bring it up to date."""
    if kind not in LetterKind.values:
        raise CivicError(ErrorCode.INVALID)
    unit = Unit.objects.filter(pk=unit_id, active=True).first()
    if unit is None or not may_manage(actor, unit.district_id):
        raise not_found() if unit is None else CivicError(ErrorCode.FORBIDDEN)
    if not 2000 <= int(year) <= 2100:
        raise CivicError(ErrorCode.INVALID, _("年度无效。"))
    letter, _created = Letter.objects.get_or_create(unit=unit, year=year, kind=kind,
                                                    defaults={"district_id": unit.district_id})
    return letter_sync(letter, actor=actor)


def letter_refresh(*, actor, letter_id: int) -> LetterVersion:
    """Bring a letter up to date (a new version when its data changed): its unit's acknowledgers or a manager."""
    from ..selectors import letters_for

    letter = letters_for(actor).filter(pk=letter_id).first()
    if letter is None:
        raise not_found()
    if not (may_acknowledge(actor, letter) or may_manage(actor, letter.district_id)):
        raise CivicError(ErrorCode.FORBIDDEN)
    return letter_sync(letter, actor=actor)


def letter_acknowledge(*, actor, letter_id: int, number: int) -> LetterVersion:
    """The unit acknowledges version `number` (who and when, audited). The letter is synced first, in its own
    transaction: when the data changed, the new version is kept and the acknowledgement refused (LETTER_STALE)."""
    from ..selectors import letters_for

    letter = letters_for(actor).filter(pk=letter_id).first()
    if letter is None:
        raise not_found()
    if not may_acknowledge(actor, letter):
        raise CivicError(ErrorCode.FORBIDDEN)
    current = letter_sync(letter, actor=actor)
    with transaction.atomic():
        version = LetterVersion.objects.select_for_update().filter(letter=letter, number=number).first()
        if version is None:
            raise not_found()
        if version.pk != current.pk:
            raise CivicError(PlanErrorCode.LETTER_STALE)
        if version.acknowledged_at is not None:
            raise CivicError(PlanErrorCode.LETTER_ACKNOWLEDGED)
        version.acknowledged_by = actor
        version.acknowledged_at = timezone.now()
        version.save(update_fields=["acknowledged_by", "acknowledged_at"])
        audit_write(action=PlansAudit.LETTER_ACK, user=actor, district_id=letter.district_id,
                    object_type="plans.letter", object_id=letter.pk, details={"version": version.number})
    return version


@transaction.atomic
def target_set(*, actor, unit_id: int, year: int, targets: list[dict]) -> list[Target]:
    """The unit's targets for `year` become `targets` ([{title, measure, indicator_id}]); its 目标责任书 follows."""
    unit = Unit.objects.filter(pk=unit_id, active=True).first()
    if unit is None or not may_manage(actor, unit.district_id):
        raise not_found() if unit is None else CivicError(ErrorCode.FORBIDDEN)
    if len(targets) > MAX_TARGETS:
        raise CivicError(ErrorCode.INVALID, _("目标过多。"))
    rows = []
    for i, t in enumerate(targets):
        title = (t.get("title") or "").strip()
        if not title or len(title) > 200 or len(t.get("measure") or "") > 100:
            raise CivicError(ErrorCode.INVALID, _("目标无效。"))
        indicator_id = t.get("indicator_id")
        if indicator_id is not None:
            from civicloop.assess.selectors import indicator_get_for

            try:
                indicator_get_for(actor, int(indicator_id))
            except CivicError:
                raise CivicError(ErrorCode.INVALID, _("考核指标无效。")) from None
        rows.append(Target(district_id=unit.district_id, unit=unit, year=year, title=title,
                           measure=(t.get("measure") or "").strip(), indicator_id=indicator_id, position=i))
    Target.objects.filter(unit=unit, year=year).delete()
    created = Target.objects.bulk_create(rows)
    audit_write(action=PlansAudit.TARGET_SET, user=actor, district_id=unit.district_id, object_type="orgs.unit",
                object_id=unit.pk, details={"year": year, "targets": len(rows)})
    letters_sync_for_units(unit_ids=[unit.pk], year=year, kind=LetterKind.RESPONSIBILITY, actor=actor)
    return created
