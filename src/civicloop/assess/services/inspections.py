"""Inspections: rounds (市民巡访团, 第三方暗查), findings recorded on them, re-inspections.

A finding to be fixed becomes exactly one rectification case, registered through the cases services
(`cases.services.intake.case_register`, channel 市民巡访) with the finding as its external id — a repeated
request finds the same case — and the finding keeps it (`Finding.case`; `case.assess_finding` back). The finding's
status follows the case (`Finding.status`); a re-inspection confirms it, or reopens the case through
`cases.services.case_reopen` (whose dispatcher rule still holds). Every finding with an indicator is a deduction
item of that indicator in the evaluations of its period (evaluation.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from civicloop.cases.constants import CaseState, Channel
from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.services import audit_write
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Place

from ..constants import (
    FINDING_OWNER,
    MAX_FINDING_PHOTOS,
    MAX_ROUND_MEMBERS,
    InspectionAuditAction,
    InspectionKind,
    Recheck,
    RoundState,
    Severity,
)
from ..error_codes import AssessErrorCode
from ..models import Finding, Indicator, InspectionRound
from ..permissions import may_manage, may_recheck, may_record_finding
from .sets import _text, invalid, manager_district

REOPENABLE = (CaseState.RESOLVED, CaseState.REPLIED, CaseState.RATED)
EXTERNAL_PREFIX = "assess-finding-"


def _audit(actor, district_id: int, action: str, object_type: str, object_id, **details) -> None:
    audit_write(action=action, user=actor, district_id=district_id, object_type=object_type, object_id=object_id,
                details=details)


def _members(district_id: int, ids: Iterable[int]) -> list[int]:
    ids = list(dict.fromkeys(ids))
    if len(ids) > MAX_ROUND_MEMBERS:
        raise invalid(_gettext("成员最多 %(n)s 人。") % {"n": MAX_ROUND_MEMBERS}, field=_("成员"))
    found = set(get_user_model().objects.filter(pk__in=ids, district_id=district_id, is_active=True)
                .values_list("pk", flat=True))
    if len(found) != len(ids):
        raise invalid(_gettext("所选成员不存在或不属于本区。"), field=_("成员"))
    return ids


@transaction.atomic
def round_create(*, actor, name: str, kind: str, start: dt.date, end: dt.date, route: str = "",
                 member_ids: Iterable[int] = (), district_id: int | None = None) -> InspectionRound:
    district_id = manager_district(actor, district_id)
    if kind not in InspectionKind.values:
        raise invalid(_gettext("巡查类型无效。"), field=_("类型"))
    if end < start:
        raise invalid(_gettext("结束日期不能早于开始日期。"), field=_("结束日期"))
    members = _members(district_id, member_ids)
    r = InspectionRound.objects.create(district_id=district_id, name=_text(name, _("名称"), 100), kind=kind,
                                       start=start, end=end, route=str(route or "").strip()[:2000],
                                       created_by=actor if getattr(actor, "pk", None) else None)
    r.members.set(members)
    _audit(actor, district_id, InspectionAuditAction.ROUND_CREATE, "assess.round", r.pk, members=len(members))
    return r


def _round_for(actor, round_id: int, *, lock: bool = False) -> InspectionRound:
    from ..selectors import rounds_for

    if not rounds_for(actor).filter(pk=round_id).exists():
        raise not_found()
    qs = InspectionRound.objects.select_for_update() if lock else InspectionRound.objects
    return qs.get(pk=round_id)


@transaction.atomic
def round_close(*, actor, round_id: int) -> InspectionRound:
    r = _round_for(actor, round_id, lock=True)
    if not may_manage(actor, r.district_id):
        raise CivicError(ErrorCode.FORBIDDEN)
    if r.state != RoundState.OPEN:
        raise CivicError(AssessErrorCode.ROUND_CLOSED)
    r.state = RoundState.CLOSED
    r.save(update_fields=["state"])
    _audit(actor, r.district_id, InspectionAuditAction.ROUND_CLOSE, "assess.round", r.pk)
    return r


def finding_record(*, actor, round_id: int, place_id: int, description: str, severity: str = Severity.MINOR,
                   indicator_id: int | None = None, rectify: bool = True, found_on: dt.date | None = None,
                   photos=()) -> Finding:
    """A finding at a place of the district (a street or anything under one). With `rectify`, its rectification
    case is registered at once, by the recorder, through the cases services; with `indicator_id`, it is a
    deduction item of that indicator (one of the district's sets). `photos`: up to MAX_FINDING_PHOTOS uploaded
    files, checked by content and re-encoded without their EXIF (civicloop.files), written before the finding's
    transaction and attached to it (owner FINDING_OWNER) inside it — all or none."""
    from civicloop.files.checking import check_file, read_upload
    from civicloop.files.error_codes import FileErrorCode
    from civicloop.files.services import attachments_discard, attachments_write

    photos = list(photos or ())
    if len(photos) > MAX_FINDING_PHOTOS:
        raise CivicError(FileErrorCode.TOO_MANY_FILES, max=MAX_FINDING_PHOTOS)
    _round_for(actor, round_id)  # out of sight: not found, before any file is read
    checked = [check_file(read_upload(p), name=getattr(p, "name", "")) for p in photos]
    pending = attachments_write(checked)
    try:
        return _finding_record(actor=actor, round_id=round_id, place_id=place_id, description=description,
                               severity=severity, indicator_id=indicator_id, rectify=rectify, found_on=found_on,
                               pending=pending)
    except BaseException:
        attachments_discard(pending)
        raise


@transaction.atomic
def _finding_record(*, actor, round_id: int, place_id: int, description: str, severity: str,
                    indicator_id: int | None, rectify: bool, found_on: dt.date | None, pending: list) -> Finding:
    r = _round_for(actor, round_id, lock=True)
    if not may_record_finding(actor, r):
        if r.state != RoundState.OPEN:
            raise CivicError(AssessErrorCode.ROUND_CLOSED)
        raise CivicError(ErrorCode.FORBIDDEN)
    place = Place.objects.filter(pk=place_id, district_id=r.district_id).first()
    if place is None or place.level == PlaceLevel.DISTRICT:
        raise invalid(_gettext("地点不存在、不属于本区，或不在某个街道内。"), field=_("地点"))
    street_id = place.pk if place.level == PlaceLevel.STREET else place.street_id
    if street_id is None:
        raise invalid(_gettext("地点不存在、不属于本区，或不在某个街道内。"), field=_("地点"))
    if severity not in Severity.values:
        raise invalid(_gettext("严重程度无效。"), field=_("严重程度"))
    indicator = None
    if indicator_id is not None:
        indicator = Indicator.objects.select_related("indicator_set").filter(
            pk=indicator_id, indicator_set__district_id=r.district_id).first()
        if indicator is None:
            raise invalid(_gettext("指标不存在或不属于本区。"), field=_("指标"))
    description = _text(description, _("问题描述"), 1000)
    finding = Finding.objects.create(
        district_id=r.district_id, inspection_round=r, street_id=street_id, place=place, indicator=indicator,
        indicator_code=indicator.code if indicator else "", set_code=indicator.indicator_set.code if indicator else "",
        severity=severity, description=description, found_on=found_on or timezone.localdate(),
        recorded_by=actor if getattr(actor, "pk", None) else None)
    if rectify:
        from civicloop.cases.services.intake import case_register

        label = InspectionKind(r.kind).label
        case = case_register(actor=actor, channel=Channel.CITIZEN_INSPECTION, place_id=place.pk,
                             external_id=f"{EXTERNAL_PREFIX}{finding.pk}",
                             description=f"【{label}】{description}")
        finding.case = case
        finding.save(update_fields=["case"])
    if pending:
        from civicloop.files.services import attachments_attach

        attachments_attach(pending=pending, owner_kind=FINDING_OWNER, owner_id=finding.pk, district_id=r.district_id,
                           uploaded_by=actor if getattr(actor, "pk", None) else None)
    _audit(actor, r.district_id, InspectionAuditAction.FINDING_RECORD, "assess.finding", finding.pk,
           round=r.pk, case=finding.case_id, photos=[p.ref for p in pending])
    return finding


@transaction.atomic
def finding_recheck(*, actor, finding_id: int, passed: bool, note: str = "") -> Finding:
    """A re-inspection: passed — the finding is confirmed fixed (its case must be resolved or closed); not
    passed — its case is reopened through the cases services (when resolved) and the finding shows 复查未通过."""
    from ..selectors import findings_for

    finding = findings_for(actor).select_related("case").filter(pk=finding_id).first()
    if finding is None:
        raise not_found()
    if not may_recheck(actor, finding):
        raise CivicError(ErrorCode.FORBIDDEN)
    finding = Finding.objects.select_for_update(of=("self",)).select_related("case").get(pk=finding.pk)
    note = _text(note, _("复查说明"), 200, required=not passed)
    if finding.case_id is None:
        raise CivicError(AssessErrorCode.FINDING_NOT_RECTIFIABLE)
    if passed:
        if finding.case.state not in (*REOPENABLE, CaseState.CLOSED):
            raise CivicError(AssessErrorCode.FINDING_NOT_RECTIFIED)
        finding.recheck = Recheck.CONFIRMED
    else:
        if finding.case.state in REOPENABLE:
            from civicloop.cases.services import case_reopen

            case_reopen(actor=actor, case_id=finding.case_id, reason=_gettext("复查未通过：%(note)s") % {"note": note})
        elif finding.case.state == CaseState.CLOSED:
            raise CivicError(AssessErrorCode.FINDING_NOT_RECTIFIED, _("整改工单已结案，不能重办；请记录新的发现。"))
        finding.recheck = Recheck.FAILED
    finding.recheck_note, finding.rechecked_at = note, timezone.now()
    finding.save(update_fields=["recheck", "recheck_note", "rechecked_at"])
    _audit(actor, finding.district_id, InspectionAuditAction.FINDING_RECHECK, "assess.finding", finding.pk,
           passed=passed)
    return finding
