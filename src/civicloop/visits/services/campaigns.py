"""Campaigns and their research topics: create, change, start (draft → running: subjects built and assigned),
close (running → closed). Only the district's managers (`permissions.may_manage`); each change writes its audit
row in the same transaction. The state rules are `permissions.campaign_*` and `campaign_start_gaps`, which the
pages ask before offering a step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.services import audit_write
from civicloop.orgs.models import Unit
from civicloop.orgs.scope import scope_for
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Place

from ..constants import CampaignAuditAction, CampaignState, SubjectGroup, SubjectKind
from ..error_codes import VisitErrorCode
from ..models import Campaign, Team, Topic
from ..permissions import campaign_is_editable, campaign_may_close, may_manage
from ..team_rule import gaps_text, team_gaps, team_rule_clean, team_rule_problems

MAX_THEMES, MAX_THEME_LENGTH = 20, 40
MAX_SCOPE_ITEMS = 500  # units or areas of one campaign


# ----- shared by the campaign services (teams, pairing and assignment use them too)


def invalid(message, *, field="") -> CivicError:
    """A refusal of one input, with the field's label when there is one."""
    details = [{"where": "", "field": str(field), "reason": str(message)}] if field else []
    return CivicError(ErrorCode.INVALID, message, details=details)


def clean_text(value, label, *, max_length: int, required: bool = True, multiline: bool = False) -> str:
    value = str(value or "").strip() if multiline else " ".join(str(value or "").split())
    if required and not value:
        raise invalid(_gettext("请填写%(field)s。") % {"field": label}, field=label)
    if len(value) > max_length:
        raise invalid(_gettext("%(field)s最多 %(n)s 个字符。") % {"field": label, "n": max_length}, field=label)
    return value


def manager_district(actor, district_id: int | None = None) -> int:
    """The district `actor` manages campaigns of: their own (a superuser names one). FORBIDDEN otherwise."""
    district_id = district_id if district_id is not None else scope_for(actor).district_id
    if district_id is None or not may_manage(actor, district_id):
        raise CivicError(ErrorCode.FORBIDDEN)
    return district_id


def campaign_for_change(actor, campaign_id: int, *, lock: bool = True) -> Campaign:
    """The campaign `actor` may manage, locked for the change. Out of sight answers NOT_FOUND; in sight but not
    a manager's, FORBIDDEN."""
    from ..selectors import campaigns_for

    qs = Campaign.objects.select_for_update() if lock else Campaign.objects
    campaign = qs.filter(pk=campaign_id).first()
    if campaign is None:
        raise not_found()
    if not may_manage(actor, campaign.district_id):
        if campaigns_for(actor).filter(pk=campaign_id).exists():
            raise CivicError(ErrorCode.FORBIDDEN)
        raise not_found()
    return campaign


def require_editable(campaign: Campaign) -> None:
    if not campaign_is_editable(campaign):
        raise CivicError(VisitErrorCode.CAMPAIGN_STATE, _("走访活动已结束，不能再修改。"))


def district_staff(district_id: int, user_id: int):
    """An active staff account of the district, or INVALID."""
    user = get_user_model().objects.filter(pk=user_id, district_id=district_id, is_active=True).first()
    if user is None:
        raise invalid(_gettext("所选工作人员不存在或不属于本区。"), field=_("工作人员"))
    return user


# ----- the campaign's fields


def _units(district_id: int, ids: Iterable[int]) -> list[int]:
    ids = list(dict.fromkeys(ids))
    if len(ids) > MAX_SCOPE_ITEMS:
        raise invalid(_gettext("参与单位最多 %(n)s 个。") % {"n": MAX_SCOPE_ITEMS}, field=_("参与单位"))
    found = set(Unit.objects.filter(pk__in=ids, district_id=district_id).values_list("pk", flat=True))
    if len(found) != len(ids):
        raise invalid(_gettext("有参与单位不存在或不属于本区。"), field=_("参与单位"))
    return ids


def _areas(district_id: int, ids: Iterable[int]) -> list[int]:
    """Streets and communities of the district (the scope a campaign visits; none = the whole district)."""
    ids = list(dict.fromkeys(ids))
    if len(ids) > MAX_SCOPE_ITEMS:
        raise invalid(_gettext("走访范围最多 %(n)s 个。") % {"n": MAX_SCOPE_ITEMS}, field=_("走访范围"))
    found = set(Place.objects.filter(pk__in=ids, district_id=district_id,
                                     level__in=(PlaceLevel.STREET, PlaceLevel.COMMUNITY)).values_list("pk", flat=True))
    if len(found) != len(ids):
        raise invalid(_gettext("走访范围只能是本区的街道或居委。"), field=_("走访范围"))
    return ids


def _subject_kinds(kinds) -> list[str]:
    kinds = list(dict.fromkeys(str(k) for k in kinds))
    if not kinds or any(k not in SubjectKind.values for k in kinds):
        raise invalid(_gettext("请选择走访对象（住户、企业）。"), field=_("走访对象"))
    return kinds


def _targets(targets: dict) -> dict:
    out = {}
    for key, value in (targets or {}).items():
        if key not in SubjectGroup.values:
            raise invalid(_gettext("未知的覆盖分组：%(group)s。") % {"group": key}, field=_("覆盖目标（%）"))
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise invalid(_gettext("覆盖目标应为 0 至 100 的整数。"), field=_("覆盖目标（%）"))
        out[str(key)] = value
    return {g: out.get(g, 0) for g in SubjectGroup.values}


def _themes(themes) -> list[str]:
    themes = [" ".join(str(t).split()) for t in themes or ()]
    themes = list(dict.fromkeys(t for t in themes if t))
    if len(themes) > MAX_THEMES or any(len(t) > MAX_THEME_LENGTH for t in themes):
        raise invalid(_gettext("主题最多 %(n)s 个，每个不超过 %(len)s 字。") % {"n": MAX_THEMES, "len": MAX_THEME_LENGTH},
                      field=_("主题（五个结合）"))
    return themes


def _team_rule(rule) -> list[dict]:
    problems = team_rule_problems(rule)
    if problems:
        raise CivicError(ErrorCode.INVALID, "；".join(problems),
                         details=[{"where": "", "field": str(_("组队规则")), "reason": p} for p in problems])
    return team_rule_clean(rule)


def _period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise invalid(_gettext("结束日期不能早于开始日期。"), field=_("结束日期"))


def _audit(actor, campaign: Campaign, action: str, **details) -> None:
    audit_write(action=action, user=actor, district_id=campaign.district_id, object_type="visits.campaign",
                object_id=campaign.pk, details=details)


@transaction.atomic
def campaign_create(*, actor, name: str, start: dt.date, end: dt.date, unit_ids: Iterable[int] = (),
                    area_ids: Iterable[int] = (), subject_kinds: Iterable[str] | None = None,
                    targets: dict | None = None, themes: Iterable[str] | None = None,
                    team_rule: list[dict] | None = None, district_id: int | None = None) -> Campaign:
    """A new draft campaign of the actor's district. Omitted kinds, targets, themes and rule take the defaults
    (households and enterprises; 100/30/100/100 %; the 五个结合; 1+3+1)."""
    district_id = manager_district(actor, district_id)
    campaign = Campaign(district_id=district_id, name=clean_text(name, _("名称"), max_length=100), start=start, end=end,
                        created_by=actor if getattr(actor, "pk", None) else None)
    _period(start, end)
    if subject_kinds is not None:
        campaign.subject_kinds = _subject_kinds(subject_kinds)
    if targets is not None:
        campaign.targets = _targets(targets)
    if themes is not None:
        campaign.themes = _themes(themes)
    if team_rule is not None:
        campaign.team_rule = _team_rule(team_rule)
    units, areas = _units(district_id, unit_ids), _areas(district_id, area_ids)
    campaign.save()
    campaign.units.set(units)
    campaign.areas.set(areas)
    _audit(actor, campaign, CampaignAuditAction.CAMPAIGN_CREATE, name=campaign.name, units=len(units), areas=len(areas))
    return campaign


UPDATABLE = ("name", "start", "end", "unit_ids", "area_ids", "subject_kinds", "targets", "themes", "team_rule")


@transaction.atomic
def campaign_update(*, actor, campaign_id: int, **changes) -> Campaign:
    """Change the given fields (any of `UPDATABLE`) of a draft or running campaign. A running campaign's new
    team rule must still be met by each of its active teams; a changed scope takes effect at the next
    assignment run."""
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise TypeError(f"campaign_update: unknown fields {sorted(unknown)}")
    campaign = campaign_for_change(actor, campaign_id)
    require_editable(campaign)
    changed = []
    if "name" in changes:
        campaign.name = clean_text(changes["name"], _("名称"), max_length=100)
    for field in ("start", "end"):
        if field in changes and changes[field] is not None:
            setattr(campaign, field, changes[field])
    _period(campaign.start, campaign.end)
    if changes.get("subject_kinds") is not None:
        campaign.subject_kinds = _subject_kinds(changes["subject_kinds"])
    if changes.get("targets") is not None:
        campaign.targets = _targets(changes["targets"])
    if changes.get("themes") is not None:
        campaign.themes = _themes(changes["themes"])
    if changes.get("team_rule") is not None:
        campaign.team_rule = _team_rule(changes["team_rule"])
        if campaign.state == CampaignState.RUNNING:
            teams_complete_or_refuse(campaign)
    before = Campaign.objects.filter(pk=campaign.pk).values(*[f for f in UPDATABLE if not f.endswith("_ids")]).first()
    changed = [f for f, old in before.items() if getattr(campaign, f) != old]
    campaign.save()
    if changes.get("unit_ids") is not None:
        units = _units(campaign.district_id, changes["unit_ids"])
        if set(units) != set(campaign.units.values_list("pk", flat=True)):
            campaign.units.set(units)
            changed.append("units")
    if changes.get("area_ids") is not None:
        areas = _areas(campaign.district_id, changes["area_ids"])
        if set(areas) != set(campaign.areas.values_list("pk", flat=True)):
            campaign.areas.set(areas)
            changed.append("areas")
    _audit(actor, campaign, CampaignAuditAction.CAMPAIGN_UPDATE, changed=changed)
    return campaign


def teams_with_gaps(campaign: Campaign) -> list[tuple[Team, list[str]]]:
    """[(team, what it lacks)] for the campaign's active teams that do not fill its rule or have no recorder."""
    teams = Team.objects.filter(campaign=campaign, active=True).prefetch_related("members").order_by("name")
    out = []
    for team in teams:
        gaps = team_gaps(campaign.team_rule, team.members.all())
        if gaps:
            out.append((team, gaps))
    return out


def teams_complete_or_refuse(campaign: Campaign) -> None:
    incomplete = teams_with_gaps(campaign)
    if incomplete:
        text = "；".join(f"{team.name}：{gaps_text(gaps)}" for team, gaps in incomplete)
        raise CivicError(VisitErrorCode.TEAM_INCOMPLETE, text,
                         details=[{"where": team.name, "field": "", "reason": gaps_text(gaps)} for team, gaps in incomplete])


def campaign_start_gaps(campaign: Campaign) -> list[str]:
    """Why the campaign cannot start now (empty: it can): a draft, with at least one active team, every active
    team complete under the rule and with its recorder. The page offers 启动 only when this is empty."""
    if campaign.state != CampaignState.DRAFT:
        return [_gettext("只有草拟中的走访活动可以启动。")]
    incomplete = teams_with_gaps(campaign)
    if incomplete:
        return [f"{team.name}：{gaps_text(gaps)}" for team, gaps in incomplete]
    if not Team.objects.filter(campaign=campaign, active=True).exists():
        return [_gettext("还没有启用的走访组。")]
    return []


@transaction.atomic
def campaign_start(*, actor, campaign_id: int) -> dict:
    """draft → running: the subjects are built from the scope and assigned to the teams (assignment_run).
    Returns the run's counts."""
    from .assignment import assignment_apply

    campaign = campaign_for_change(actor, campaign_id)
    gaps = campaign_start_gaps(campaign)
    if campaign.state != CampaignState.DRAFT:
        raise CivicError(VisitErrorCode.CAMPAIGN_STATE, gaps[0])
    if gaps:
        raise CivicError(VisitErrorCode.TEAM_INCOMPLETE, "；".join(gaps))
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.RUNNING)
    campaign.state = CampaignState.RUNNING
    counts = assignment_apply(campaign)
    _audit(actor, campaign, CampaignAuditAction.CAMPAIGN_START, **counts)
    return counts


@transaction.atomic
def campaign_close(*, actor, campaign_id: int) -> Campaign:
    """running → closed: no more visits are recorded; the record stays."""
    campaign = campaign_for_change(actor, campaign_id)
    if not campaign_may_close(campaign):
        raise CivicError(VisitErrorCode.CAMPAIGN_STATE, _("只有进行中的走访活动可以结束。"))
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.CLOSED)
    campaign.state = CampaignState.CLOSED
    _audit(actor, campaign, CampaignAuditAction.CAMPAIGN_CLOSE)
    return campaign


# ----- research topics


def _topic_audit(actor, topic: Topic, action: str, **details) -> None:
    audit_write(action=action, user=actor, district_id=topic.district_id, object_type="visits.topic",
                object_id=topic.pk, details={"campaign": topic.campaign_id, **details})


@transaction.atomic
def topic_create(*, actor, campaign_id: int, title: str, leader_id: int, description: str = "") -> Topic:
    """A research topic 调研课题 of a draft or running campaign, led by a staff account of the district."""
    campaign = campaign_for_change(actor, campaign_id)
    require_editable(campaign)
    topic = Topic.objects.create(
        district_id=campaign.district_id, campaign=campaign, title=clean_text(title, _("课题"), max_length=120),
        leader=district_staff(campaign.district_id, leader_id),
        description=clean_text(description, _("说明"), max_length=2000, required=False, multiline=True))
    _topic_audit(actor, topic, CampaignAuditAction.TOPIC_CREATE, title=topic.title, leader=topic.leader_id)
    return topic


@transaction.atomic
def topic_update(*, actor, topic_id: int, title: str | None = None, leader_id: int | None = None,
                 description: str | None = None) -> Topic:
    topic = Topic.objects.filter(pk=topic_id).first()
    if topic is None:
        raise not_found()
    campaign = campaign_for_change(actor, topic.campaign_id)
    require_editable(campaign)
    changed = []
    if title is not None:
        topic.title = clean_text(title, _("课题"), max_length=120)
        changed.append("title")
    if leader_id is not None:
        topic.leader = district_staff(campaign.district_id, leader_id)
        changed.append("leader")
    if description is not None:
        topic.description = clean_text(description, _("说明"), max_length=2000, required=False, multiline=True)
        changed.append("description")
    topic.save()
    _topic_audit(actor, topic, CampaignAuditAction.TOPIC_UPDATE, changed=changed)
    return topic
