"""What a passed vote becomes — a case, a plan task, an adopted convention version — each at most once, through
the owning app's service, linked both ways:

- a case: `cases.services.case_register`, channel "deliberation", external id "HV<vote id>" (cases' intake is
  idempotent by it too); the case's page shows the vote (`home.record_panel`);
- a plan task: `plans.services.task_create(..., source_kind="hall_vote", source_id=vote.id)` (plans checks the
  actor may add to the plan);
- a convention: a new version (of a convention of the community, or a new one) whose text is the vote's proposal.

The vote row is locked first and the outcome row is unique per (vote, kind): a repeat answers the first outcome
(`Made(created=False)`), and a refusal by cases or plans leaves no outcome.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicloop.core.errors import CivicError, ErrorCode, not_found

from ..constants import CASE_EXTERNAL_ID, TASK_SOURCE_KIND, HallAuditAction, OutcomeKind
from ..error_codes import HallErrorCode
from ..models import Convention, ConventionVersion, Vote, VoteOutcome
from ..permissions import may_keep, outcome_possible
from ._common import area_for, audit, community_of, for_write, text_required

TASK_TITLE_CHARS = 100


@dataclass(frozen=True)
class Made:
    outcome: VoteOutcome
    created: bool  # False: made before; nothing new


def _required(value, label):
    if value is None or value == "":
        raise CivicError(ErrorCode.INVALID, _("请填写%(field)s。"), field=label)
    return value


@transaction.atomic
def outcome_make(*, actor, vote_id: int, kind: str, plan_id: int | None = None, owner_unit_id: int | None = None,
                 due: dt.date | None = None, convention_id: int | None = None, convention_title: str = "",
                 effective_from: dt.date | None = None, at: dt.datetime | None = None) -> Made:
    """Make a closed, passed vote into `kind` (see the module). task: `plan_id`, `owner_unit_id`, `due`;
    convention: `convention_id` (a new version of it) or `convention_title` (a new convention), `effective_from`."""
    vote = for_write(actor, Vote, vote_id, keep=False)
    if kind not in OutcomeKind.values:
        raise CivicError(ErrorCode.INVALID, _("结果去向无效。"))
    existing = VoteOutcome.objects.filter(vote=vote, kind=kind).first()
    if existing is not None:
        return Made(existing, False)
    if not outcome_possible(vote):
        raise CivicError(HallErrorCode.NOT_PASSED)
    now = at or timezone.now()
    note = _("居民议事表决通过（%(date)s，同意 %(yes)d 户 / 应参与 %(eligible)d 户）：%(question)s") % {
        "date": timezone.localdate(vote.closed_at).isoformat(), "yes": vote.yes, "eligible": vote.eligible,
        "question": vote.question}
    outcome = VoteOutcome(district_id=vote.district_id, vote=vote, kind=kind, made_by=actor, made_at=now)
    if kind == OutcomeKind.CASE:
        from civicloop.cases.constants import Channel
        from civicloop.cases.services import case_register

        description = f"{vote.question}\n{vote.proposal}".strip()
        outcome.case = case_register(actor=actor, channel=Channel.DELIBERATION, description=description,
                                     place_id=vote.place_id, district_id=vote.district_id,
                                     external_id=CASE_EXTERNAL_ID.format(vote_id=vote.pk), note=note)
    elif kind == OutcomeKind.TASK:
        from civicloop.plans.services import task_create

        _required(plan_id, _("所属计划")), _required(owner_unit_id, _("责任单位")), _required(due, _("完成期限"))
        task = task_create(actor=actor, plan_id=plan_id, title=vote.question[:TASK_TITLE_CHARS],
                           owner_unit_id=owner_unit_id, due=due, description=note, source_kind=TASK_SOURCE_KIND,
                           source_id=vote.pk)
        outcome.task_id = task.pk
    else:
        if not may_keep(actor, vote.community_id):
            raise CivicError(ErrorCode.FORBIDDEN)
        text = text_required(vote.proposal, gettext_lazy("方案内容"))
        effective_from = effective_from or timezone.localdate(now)
        if convention_id is not None:
            convention = Convention.objects.select_for_update().filter(
                pk=convention_id, community_id=vote.community_id).first()
            if convention is None:
                raise not_found()
        else:
            title = text_required(convention_title, gettext_lazy("规约名称"))[:200]
            convention = (Convention.objects.filter(place_id=vote.place_id, title=title).first()
                          or Convention.objects.create(district_id=vote.district_id, street_id=vote.street_id,
                                                       community_id=vote.community_id, place_id=vote.place_id,
                                                       title=title))
        outcome.convention_version = _version(actor, convention, text, effective_from, vote=vote, at=now)
    outcome.save()
    audit(actor, HallAuditAction.OUTCOME, outcome, vote=vote.pk, kind=kind, case=outcome.case_id,
          task=outcome.task_id, convention_version=outcome.convention_version_id)
    return Made(outcome, True)


def _version(actor, convention, text: str, effective_from: dt.date, *, vote=None, at=None) -> ConventionVersion:
    last = convention.versions.aggregate(m=Max("number"))["m"] or 0
    return ConventionVersion.objects.create(district_id=convention.district_id, convention=convention,
                                            number=last + 1, text=text, effective_from=effective_from, vote=vote,
                                            recorded_by=actor, recorded_at=at or timezone.now())


@transaction.atomic
def convention_record(*, actor, place_id: int, title: str, text: str, effective_from: dt.date,
                      at: dt.datetime | None = None) -> ConventionVersion:
    """A convention adopted before the hall kept votes, keyed in from paper (its version has no vote): a new
    convention of the place, or a new version of the place's convention of that title."""
    place = area_for(actor, place_id)
    community_id = community_of(place)
    if not may_keep(actor, community_id):
        raise CivicError(ErrorCode.FORBIDDEN)
    title = text_required(title, gettext_lazy("规约名称"))
    convention = Convention.objects.select_for_update().filter(place=place, title=title).first()
    if convention is None:
        convention = Convention.objects.create(district_id=place.district_id, street_id=place.street_id,
                                               community_id=community_id, place=place, title=title)
    version = _version(actor, convention, text_required(text, gettext_lazy("规约内容")), effective_from, at=at)
    audit(actor, HallAuditAction.CONVENTION, version, convention=convention.pk, number=version.number)
    return version
