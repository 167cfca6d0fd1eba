"""Recording a visit: the visit, the cases its problems become, the answers about earlier cases — in one step.

`visit_record` is what the record form and `POST /api/visits/visits` (the offline field app's sync) call. One
transaction: the checks (the actor on the subject's current team, a running campaign, the values), the Visit row,
the subject's counters, one case per problem registered through the cases services (channel visit, the subject's
household or enterprise, external id "<client_id>:<n>"), the follow-ups (a case awaiting a rating is rated with
the person's answer, through `case_rate`) and the audit row. Nothing is written when anything is refused.

Idempotent by `client_id` (made on the phone): a record sent again — a retry after a lost answer, a sync run twice,
two tabs at once — answers the stored visit with `created=False`; a concurrent duplicate meets the unique
constraint and answers the same (the way cases intake does it).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import IntegrityError, transaction
from django.db.models import Case as CaseWhen
from django.db.models import F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civicloop.cases.constants import CaseState, Channel, Satisfaction
from civicloop.cases.models import Case
from civicloop.cases.services.closing import case_rate
from civicloop.cases.services.intake import case_register
from civicloop.core.constants import AuditAction
from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.input import data_refusal
from civicloop.core.masking import mask_free_text
from civicloop.core.services import audit_write

from ..constants import CampaignState, SubjectKind, VisitMethod, VisitSatisfaction
from ..error_codes import VisitErrorCode
from ..models import FollowUp, Subject, Team, TeamMember, Topic, Visit, VisitProblem

# Bounds of one record (a visit hears a few problems and asks about a few earlier cases; more is a mistake).
MAX_PROBLEMS = 20
MAX_FOLLOW_UPS = 50
MAX_TEXT = 4000  # a summary or a problem, as the case's description allows
MAX_NOTE = 200  # FollowUp.note

# What the person said about an earlier case, as that case's rating; 未表态 is no rating.
RATING_OF = {VisitSatisfaction.SATISFIED: Satisfaction.SATISFIED, VisitSatisfaction.BASICALLY: Satisfaction.BASICALLY,
             VisitSatisfaction.UNSATISFIED: Satisfaction.UNSATISFIED, VisitSatisfaction.NO_ANSWER: None}

# The name under which this app registers and rates cases (cases.permissions.SERVICE_AUTHORITIES).
AUTHORITY = "visits"


def visit_record(*, actor, client_id, subject_id: int, visited_on: dt.date, method: str, summary: str,
                 satisfaction: str, member_ids=(), topic_id: int | None = None, problems=(),
                 follow_ups=()) -> tuple[Visit, bool]:
    """Record a visit to a subject by `actor`, a staff member of the subject's current team. Returns (visit,
    created): `created` is False when `client_id` was stored before (the stored visit, unchanged).

    `problems`: [{"description"}], each registered as a case; `follow_ups`: [{"case_id", "satisfaction",
    "note"}], answers about cases raised in earlier visits to the same household or enterprise. Refusals:
    NOT_FOUND (no such subject, or none of the actor's teams' campaign), SUBJECT_REASSIGNED (the subject is now
    another team's, or none's: the message names it), CAMPAIGN_STATE (not running), INVALID (values)."""
    client_id = _uuid(client_id)
    try:
        with transaction.atomic():
            stored = _stored(client_id)
            if stored is not None:
                return _repeat(actor, stored, subject_id), False
            return _record(actor=actor, client_id=client_id, subject_id=subject_id, visited_on=visited_on,
                           method=method, summary=summary, satisfaction=satisfaction, member_ids=member_ids,
                           topic_id=topic_id, problems=problems, follow_ups=follow_ups), True
    except IntegrityError:
        # the same record stored meanwhile by a concurrent submission (the unique client_id): this attempt rolled
        # back whole — no case of it registered — and the stored visit answers
        stored = _stored(client_id)
        if stored is None:
            raise
        return _repeat(actor, stored, subject_id), False


def _stored(client_id: uuid.UUID) -> Visit | None:
    return Visit.objects.filter(client_id=client_id).first()


def _uuid(value) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise CivicError(ErrorCode.INVALID, _("记录编号无效。")) from None


def _repeat(actor, stored: Visit, subject_id: int) -> Visit:
    """The stored visit, for a member of its team (or its recorder); anyone else is told nothing about it."""
    if stored.recorded_by_id != getattr(actor, "pk", None) and not TeamMember.objects.filter(
            team_id=stored.team_id, user_id=getattr(actor, "pk", None) or 0).exists():
        raise not_found()
    if stored.subject_id != subject_id:
        raise CivicError(ErrorCode.DUPLICATE, _("该记录编号已用于另一条走访记录。"))
    return stored


def subject_label(subject: Subject) -> str:
    """How a message names a subject: the enterprise's name, or the household's address (numbers masked)."""
    if subject.kind == SubjectKind.ENTERPRISE:
        return subject.enterprise.name
    return mask_free_text(subject.household.address)


def _subject_for(actor, subject_id: int) -> Subject:
    """The subject, locked, if `actor` is a staff member of its current team; else SUBJECT_REASSIGNED for a member
    of another team of its campaign (a record made before a reassignment), NOT_FOUND for everyone else."""
    subject = Subject.objects.select_for_update().filter(pk=subject_id).first()
    if subject is None or not getattr(actor, "pk", None):
        raise not_found()
    teams = set(TeamMember.objects.filter(user_id=actor.pk, team__campaign_id=subject.campaign_id)
                .values_list("team_id", flat=True))
    if subject.team_id is not None and subject.team_id in teams:
        return subject
    if not teams:
        raise not_found()
    subject = Subject.objects.select_related("household", "enterprise", "team").get(pk=subject.pk)
    if subject.team is None:
        raise CivicError(VisitErrorCode.SUBJECT_REASSIGNED,
                         _("「%(subject)s」已不在本组的走访名单中（目前未分配走访组），本条记录未保存。"),
                         subject=subject_label(subject))
    raise CivicError(VisitErrorCode.SUBJECT_REASSIGNED, _("「%(subject)s」已改派给「%(team)s」，本条记录未保存。"),
                     subject=subject_label(subject), team=subject.team.name)


def _text(value, label, *, limit: int = MAX_TEXT, required: bool = True) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else None
    if value is None:
        raise CivicError(ErrorCode.INVALID, _("%(field)s无效。"), field=label)
    if required and not value:
        raise CivicError(ErrorCode.INVALID, _("请填写%(field)s。"), field=label)
    if len(value) > limit:
        raise CivicError(ErrorCode.INVALID, _("%(field)s不能超过%(max)d个字。"), field=label, max=limit)
    return value


def _ids(values, label) -> list[int]:
    try:
        ids = sorted({int(v) for v in values})
    except (TypeError, ValueError):
        raise CivicError(ErrorCode.INVALID, _("%(field)s无效。"), field=label) from None
    if any(not 1 <= i < 2**63 for i in ids):
        raise CivicError(ErrorCode.INVALID, _("%(field)s无效。"), field=label)
    return ids


def _record(*, actor, client_id, subject_id, visited_on, method, summary, satisfaction, member_ids, topic_id,
            problems, follow_ups) -> Visit:
    refusal = data_refusal([summary, list(problems), list(follow_ups)])  # a NUL, a number past 64 bits: whoever calls
    if refusal is not None:
        raise refusal
    subject = _subject_for(actor, subject_id)
    team = Team.objects.select_related("campaign").get(pk=subject.team_id)
    campaign = team.campaign
    if campaign.state != CampaignState.RUNNING:
        raise CivicError(VisitErrorCode.CAMPAIGN_STATE, _("走访活动「%(campaign)s」未在进行中，不能记录走访。"),
                         campaign=campaign.name)
    if not team.active:
        raise CivicError(ErrorCode.FORBIDDEN, _("走访组「%(team)s」已停用，不能记录走访。"), team=team.name)
    if method not in VisitMethod.values:
        raise CivicError(ErrorCode.INVALID, _("走访方式无效。"))
    if satisfaction not in VisitSatisfaction.values:
        raise CivicError(ErrorCode.INVALID, _("满意度无效。"))
    if not isinstance(visited_on, dt.date) or isinstance(visited_on, dt.datetime):
        raise CivicError(ErrorCode.INVALID, _("走访日期无效。"))
    today = timezone.localdate()
    if visited_on > today:
        raise CivicError(ErrorCode.INVALID, _("走访日期不能晚于今天。"))
    if not campaign.start <= visited_on <= campaign.end:
        raise CivicError(ErrorCode.INVALID, _("走访日期不在走访活动期间（%(start)s 至 %(end)s）。"),
                         start=campaign.start.isoformat(), end=campaign.end.isoformat())
    summary = _text(summary, _("走访情况"))
    members = _members(actor, team, member_ids)
    topic = None
    if topic_id is not None:
        topic = Topic.objects.filter(pk=_ids([topic_id], _("调研课题"))[0], campaign_id=campaign.pk).first()
        if topic is None:
            raise CivicError(ErrorCode.INVALID, _("调研课题不属于该走访活动。"))
    texts = _problems(problems)
    answers = _follow_ups(subject, follow_ups)

    if texts or answers:  # the cases registered name the household's head or the enterprise's contact
        subject = Subject.objects.select_related("household", "enterprise").get(pk=subject.pk)
    at = timezone.now()
    visit = Visit.objects.create(
        district_id=subject.district_id, client_id=client_id, campaign=campaign, subject=subject, team=team,
        topic=topic, household_id=subject.household_id, enterprise_id=subject.enterprise_id,
        street_id=subject.street_id, community_id=subject.community_id, visited_on=visited_on, method=method,
        summary=summary, satisfaction=satisfaction, recorded_by=actor, recorded_at=at)
    Visit.members.through.objects.bulk_create(  # a new visit: nobody there yet to compare with (`set` reads first)
        [Visit.members.through(visit_id=visit.pk, teammember_id=pk) for pk in members])
    Subject.objects.filter(pk=subject.pk).update(
        visits_count=F("visits_count") + 1,
        first_visited_on=CaseWhen(When(Q(first_visited_on__isnull=True) | Q(first_visited_on__gt=visited_on),
                                       then=Value(visited_on)), default=F("first_visited_on")))
    raised = [_raise(actor, visit, subject, n, text) for n, text in enumerate(texts, start=1)]
    rated = [_answer(actor, visit, case, value, note) for case, value, note in answers]
    audit_write(action=AuditAction.VISIT_RECORD, user=actor, district_id=visit.district_id,
                object_type="visits.visit", object_id=visit.pk,
                details={"client_id": str(client_id), "subject_id": subject.pk, "team_id": team.pk,
                         "cases": [c.pk for c in raised], "follow_ups": [f.case_id for f in rated],
                         "rated": [f.case_id for f in rated if f.rated]})
    return visit


def _members(actor, team: Team, member_ids) -> list[int]:
    """The members present: the team's own (TeamMember ids); none named means the recorder alone went."""
    ids = _ids(member_ids, _("参加人员"))
    if not ids:
        return list(TeamMember.objects.filter(team_id=team.pk, user_id=actor.pk).values_list("pk", flat=True))
    found = list(TeamMember.objects.filter(team_id=team.pk, pk__in=ids).values_list("pk", flat=True))
    if len(found) != len(ids):
        raise CivicError(ErrorCode.INVALID, _("参加人员须是走访组「%(team)s」的成员。"), team=team.name)
    return found


def _problems(problems) -> list[str]:
    problems = list(problems)
    if len(problems) > MAX_PROBLEMS:
        raise CivicError(ErrorCode.INVALID, _("一次走访最多记录%(max)d个问题。"), max=MAX_PROBLEMS)
    texts = []
    for p in problems:
        description = p.get("description") if isinstance(p, dict) else None
        texts.append(_text(description, _("问题描述")))
    return texts


def earlier_cases_q(subject) -> Q:
    """Q over VisitProblem: the problems raised in visits to the subject's household or enterprise (any campaign)
    — the cases a repeat visit asks about. Cases of other channels (a 12345 call) are not the visit's to ask."""
    if subject.household_id is not None:
        return Q(visit__household_id=subject.household_id)
    return Q(visit__enterprise_id=subject.enterprise_id)


def _follow_ups(subject: Subject, follow_ups) -> list[tuple[Case, str, str]]:
    """(case locked, answer, note) for each answer, the case one raised in an earlier visit to the subject."""
    follow_ups = list(follow_ups)
    if len(follow_ups) > MAX_FOLLOW_UPS:
        raise CivicError(ErrorCode.INVALID, _("回访的工单过多。"))
    parsed = []
    for f in follow_ups:
        if not isinstance(f, dict):
            raise CivicError(ErrorCode.INVALID, _("回访内容无效。"))
        value = f.get("satisfaction")
        if value not in VisitSatisfaction.values:
            raise CivicError(ErrorCode.INVALID, _("满意度无效。"))
        parsed.append((_ids([f.get("case_id")], _("工单"))[0], value, _text(f.get("note"), _("说明"), limit=MAX_NOTE,
                                                                              required=False)))
    ids = [case_id for case_id, _v, _n in parsed]
    if len(set(ids)) != len(ids):
        raise CivicError(ErrorCode.INVALID, _("同一工单只能回访一次。"))
    if not ids:
        return []
    allowed = set(VisitProblem.objects.filter(earlier_cases_q(subject), case_id__in=ids).values_list("case_id", flat=True))
    if allowed != set(ids):
        raise CivicError(ErrorCode.INVALID, _("回访的工单须是此前走访该对象时提出的。"))
    cases = {c.pk: c for c in Case.objects.select_for_update().filter(pk__in=ids)}  # the state read stays true
    return [(cases[case_id], value, note) for case_id, value, note in parsed]


def _raise(actor, visit: Visit, subject: Subject, n: int, text: str) -> Case:
    """Problem `n` of the visit as a case, through the cases intake on this app's authority (decision: the team's
    assignment is the recorder's right to the household, not a territory). The person visited is the reporter."""
    if subject.household_id is not None:
        who = {"household_id": subject.household_id, "reporter_name": subject.household.head_name,
               "reporter_phone": subject.household.head_phone}
    else:
        who = {"enterprise_id": subject.enterprise_id, "reporter_name": subject.enterprise.contact_name,
               "reporter_phone": subject.enterprise.contact_phone, "address": subject.enterprise.address}
    case = case_register(actor=actor, channel=Channel.VISIT, external_id=f"{visit.client_id}:{n}",
                         authorised_by=AUTHORITY, description=text,
                         note=gettext("走访中提出（%(date)s，%(team)s）") % {"date": visit.visited_on.isoformat(),
                                                                   "team": visit.team.name}, **who)
    VisitProblem.objects.create(visit=visit, position=n, description=text, case=case)
    return case


def _answer(actor, visit: Visit, case: Case, value: str, note: str) -> FollowUp:
    """The person's answer about an earlier case; recorded as the case's rating where it awaits one (replied)."""
    rating = RATING_OF[VisitSatisfaction(value)]
    rated = rating is not None and case.state == CaseState.REPLIED
    if rated:
        relayed = gettext("走访回访时转达（%(date)s）") % {"date": visit.visited_on.isoformat()}
        case_rate(actor=actor, case_id=case.pk, value=rating, note=f"{relayed}{'：' + note if note else ''}",
                  authorised_by=AUTHORITY)
    return FollowUp.objects.create(visit=visit, case=case, satisfaction=value, note=note, rated=rated)
