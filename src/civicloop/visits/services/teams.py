"""Visit teams ("1+3+1") and their members: staff accounts or people records, each with a MemberRole; one staff
account records for the team.

The composition rule (`Campaign.team_rule`, checked by the pure `team_rule.team_rule_gaps`) binds a team while
it goes visiting: the active teams of a running campaign. A draft campaign's teams are being formed and may be
incomplete — they are all checked when the campaign starts (`campaigns.campaign_start_gaps`). In a running
campaign a change that would leave an active team short is refused with the seats it would lack ("缺少：律师
1 名"); a team added to a running campaign starts inactive and is switched on once complete.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from civicloop.core.errors import CivicError, ErrorCode, not_found
from civicloop.core.services import audit_write
from civicloop.orgs.models import Person, Unit

from ..constants import ROLE_OF_PERSON_KIND, CampaignAuditAction, CampaignState, MemberRole
from ..error_codes import VisitErrorCode
from ..models import Team, TeamMember, Visit
from ..permissions import team_is_working
from ..team_rule import gaps_text, team_gaps, team_rule_gaps  # noqa: F401 (team_rule_gaps: this module's rule)
from .campaigns import campaign_for_change, clean_text, invalid, require_editable


def _audit(actor, team: Team, action: str, **details) -> None:
    audit_write(action=action, user=actor, district_id=team.district_id, object_type="visits.team",
                object_id=team.pk, details={"campaign": team.campaign_id, **details})


def team_is_bound(team: Team, campaign) -> bool:
    """The rule binds this team now: it is working (`permissions.team_is_working`)."""
    return team_is_working(team, campaign)


def team_complete_or_refuse(team: Team, campaign) -> None:
    """TEAM_INCOMPLETE naming what is missing, when the team does not fill the campaign's rule or has no
    recorder (reads the members as the transaction holds them)."""
    gaps = team_gaps(campaign.team_rule, TeamMember.objects.filter(team=team))
    if gaps:
        raise CivicError(VisitErrorCode.TEAM_INCOMPLETE, f"{team.name}：{gaps_text(gaps)}",
                         details=[{"where": team.name, "field": "", "reason": g} for g in gaps])


def _team_for_change(actor, team_id: int):
    team = Team.objects.select_for_update().filter(pk=team_id).first()
    if team is None:
        raise not_found()
    campaign = campaign_for_change(actor, team.campaign_id)
    require_editable(campaign)
    return team, campaign


def _unit(district_id: int, unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id, district_id=district_id, active=True).first()
    if unit is None:
        raise invalid(_gettext("组队单位不存在或不属于本区。"), field=_("组队单位"))
    return unit


def _name_free(campaign, name: str, *, exclude: int | None = None) -> str:
    if Team.objects.filter(campaign=campaign, name=name).exclude(pk=exclude).exists():
        raise CivicError(ErrorCode.DUPLICATE, _("本走访活动已有同名的走访组。"))
    return name


@transaction.atomic
def team_create(*, actor, campaign_id: int, name: str, unit_id: int) -> Team:
    """A team of a draft or running campaign, formed by a unit of the district. In a running campaign it
    starts inactive (it has no members yet): switch it on with `team_update(active=True)` once complete."""
    campaign = campaign_for_change(actor, campaign_id)
    require_editable(campaign)
    name = _name_free(campaign, clean_text(name, _("名称"), max_length=100))
    team = Team.objects.create(district_id=campaign.district_id, campaign=campaign, name=name,
                               unit=_unit(campaign.district_id, unit_id),
                               active=campaign.state != CampaignState.RUNNING)
    _audit(actor, team, CampaignAuditAction.TEAM_CREATE, name=name, unit=team.unit_id, active=team.active)
    return team


@transaction.atomic
def team_update(*, actor, team_id: int, name: str | None = None, unit_id: int | None = None,
                active: bool | None = None) -> Team:
    """Rename, change the unit, switch on or off. Switching a team on in a running campaign needs it complete;
    a team switched off keeps its subjects until the next assignment run gives them to the others."""
    team, campaign = _team_for_change(actor, team_id)
    changed = []
    if name is not None:
        team.name = _name_free(campaign, clean_text(name, _("名称"), max_length=100), exclude=team.pk)
        changed.append("name")
    if unit_id is not None:
        team.unit = _unit(campaign.district_id, unit_id)
        changed.append("unit")
    if active is not None and active != team.active:
        team.active = active
        changed.append("active")
    team.save()
    if team_is_bound(team, campaign):
        team_complete_or_refuse(team, campaign)
    _audit(actor, team, CampaignAuditAction.TEAM_UPDATE, changed=changed, active=team.active)
    return team


def _member_audit(actor, member: TeamMember, team: Team, action: str, **details) -> None:
    audit_write(action=action, user=actor, district_id=team.district_id, object_type="visits.team_member",
                object_id=member.pk, details={"team": team.pk, "role": member.role, "user": member.user_id,
                                              "person": member.person_id, **details})


def _role_for_person(person: Person, role: str | None) -> str:
    """A people record sits in the seat its kind gives (a lawyer as 律师); kinds without a seat (volunteers,
    party members) only as 工作人员."""
    fitting = ROLE_OF_PERSON_KIND.get(person.kind, MemberRole.STAFF)
    if role is None:
        return fitting
    if role != fitting:
        raise invalid(_gettext("身份与人员类型不符：%(name)s 是%(kind)s，应为“%(role)s”。")
                      % {"name": person.name, "kind": person.get_kind_display(), "role": MemberRole(fitting).label},
                      field=_("身份"))
    return role


@transaction.atomic
def member_add(*, actor, team_id: int, role: str | None = None, user_id: int | None = None,
               person_id: int | None = None, recorder: bool = False) -> TeamMember:
    """Add a staff account (`user_id`, any role; 工作人员 by default) or a people record (`person_id`, the seat
    its kind gives) to a team. `recorder` (staff accounts only) makes this member the team's one recorder."""
    team, campaign = _team_for_change(actor, team_id)
    if (user_id is None) == (person_id is None):
        raise invalid(_gettext("请选择一名工作人员或一名人员。"), field=_("成员"))
    if role is not None and role not in MemberRole.values:
        raise invalid(_gettext("身份无效。"), field=_("身份"))
    member = TeamMember(team=team)
    if user_id is not None:
        member.user = get_user_model().objects.filter(pk=user_id, district_id=campaign.district_id, is_active=True).first()
        if member.user is None:
            raise invalid(_gettext("所选工作人员不存在或不属于本区。"), field=_("工作人员"))
        member.role = role or MemberRole.STAFF
        duplicate = TeamMember.objects.filter(team=team, user=member.user).exists()
    else:
        person = Person.objects.filter(pk=person_id, district_id=campaign.district_id).first()
        if person is None:
            raise invalid(_gettext("所选人员不存在或不属于本区。"), field=_("人员"))
        member.person, member.role = person, _role_for_person(person, role)
        duplicate = TeamMember.objects.filter(team=team, person=person).exists()
    if duplicate:
        raise CivicError(ErrorCode.DUPLICATE, _("该成员已在本走访组中。"))
    if recorder:
        if member.user is None:
            raise invalid(_gettext("记录员须是有账号的工作人员。"), field=_("记录员"))
        TeamMember.objects.filter(team=team, recorder=True).update(recorder=False)
        member.recorder = True
    member.save()
    _member_audit(actor, member, team, CampaignAuditAction.MEMBER_ADD, recorder=member.recorder)
    return member


def _member_for_change(actor, member_id: int):
    member = TeamMember.objects.select_related("team").filter(pk=member_id).first()
    if member is None:
        raise not_found()
    team, campaign = _team_for_change(actor, member.team_id)
    return member, team, campaign


@transaction.atomic
def member_remove(*, actor, member_id: int) -> None:
    """Take a member off a team. Refused for a member who took part in visits (they are named on the
    records), and for a change that would leave an active team of a running campaign short — add the
    replacement first."""
    member, team, campaign = _member_for_change(actor, member_id)
    if Visit.members.through.objects.filter(teammember_id=member.pk).exists():
        raise CivicError(VisitErrorCode.MEMBER_HAS_VISITS)
    snapshot = TeamMember(pk=member.pk, team=team, role=member.role, user_id=member.user_id,
                          person_id=member.person_id, recorder=member.recorder)
    member.delete()
    if team_is_bound(team, campaign):
        team_complete_or_refuse(team, campaign)
    _member_audit(actor, snapshot, team, CampaignAuditAction.MEMBER_REMOVE)


@transaction.atomic
def member_set_recorder(*, actor, member_id: int) -> TeamMember:
    """Make this member (a staff account) the team's recorder; the previous one no longer is."""
    member, team, _campaign = _member_for_change(actor, member_id)
    if member.user_id is None:
        raise invalid(_gettext("记录员须是有账号的工作人员。"), field=_("记录员"))
    TeamMember.objects.filter(team=team, recorder=True).exclude(pk=member.pk).update(recorder=False)
    if not member.recorder:
        TeamMember.objects.filter(pk=member.pk).update(recorder=True)
        member.recorder = True
    _member_audit(actor, member, team, CampaignAuditAction.MEMBER_RECORDER)
    return member
