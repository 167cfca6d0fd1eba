"""Tables of the visits app. Writes go through services/; every read through selectors (scoped)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicloop.core.models import TenantModel

from .constants import (
    DEFAULT_TARGETS,
    DEFAULT_THEMES,
    TEAM_RULE_1_3_1,
    CampaignState,
    MemberRole,
    PairingTarget,
    SubjectGroup,
    SubjectKind,
    VisitMethod,
    VisitSatisfaction,
)

USER = settings.AUTH_USER_MODEL


def _default_targets() -> dict:
    return {str(k): v for k, v in DEFAULT_TARGETS.items()}


def _default_kinds() -> list:
    return [SubjectKind.HOUSEHOLD.value, SubjectKind.ENTERPRISE.value]


def _default_themes() -> list:
    return list(DEFAULT_THEMES)


def _default_rule() -> list:
    return [dict(seat) for seat in TEAM_RULE_1_3_1]


class Campaign(TenantModel):
    """A visiting campaign (e.g. 2026年"满意在徐汇"大走访): period, scope, subject kinds, coverage targets."""

    name = models.CharField(_("名称"), max_length=100)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    state = models.CharField(_("状态"), max_length=10, choices=CampaignState.choices, default=CampaignState.DRAFT)
    # scope: units taking part (agency party organisations, street offices …) and areas (streets, communities);
    # no area = the whole district
    units = models.ManyToManyField("orgs.Unit", blank=True, related_name="+", verbose_name=_("参与单位"))
    areas = models.ManyToManyField("places.Place", blank=True, related_name="+", verbose_name=_("走访范围"))
    subject_kinds = models.JSONField(_("走访对象"), default=_default_kinds)  # [SubjectKind]
    targets = models.JSONField(_("覆盖目标（%）"), default=_default_targets)  # {SubjectGroup: percent 0..100}
    themes = models.JSONField(_("主题（五个结合）"), default=_default_themes, blank=True)  # [str]
    team_rule = models.JSONField(_("组队规则"), default=_default_rule)  # [{seat, label, roles, min}]
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("走访活动")
        verbose_name_plural = _("走访活动")
        ordering = ["-start", "pk"]

    def __str__(self) -> str:
        return self.name


class Topic(TenantModel):
    """A research topic 调研课题 of a campaign, led by a named leader (a staff account)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="topics", verbose_name=_("走访活动"))
    title = models.CharField(_("课题"), max_length=120)
    leader = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("牵头领导"))
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("调研课题")
        verbose_name_plural = _("调研课题")
        ordering = ["campaign", "pk"]

    def __str__(self) -> str:
        return self.title


class Pairing(TenantModel):
    """结对: an agency party organisation paired with a park building, a community or a compound (standing, not
    per campaign; a campaign's assignment reads them)."""

    party_org = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="pairings", verbose_name=_("机关党组织"))
    target = models.CharField(_("结对对象类型"), max_length=16, choices=PairingTarget.choices)
    park_building = models.ForeignKey("places.ParkBuilding", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="pairings", verbose_name=_("园区楼宇"))
    place = models.ForeignKey("places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="pairings",
                              verbose_name=_("居委或小区"))

    class Meta:
        verbose_name = _("结对")
        verbose_name_plural = _("结对")
        ordering = ["party_org", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["party_org", "park_building"], name="uniq_pairing_building",
                                    condition=Q(park_building__isnull=False)),
            models.UniqueConstraint(fields=["party_org", "place"], name="uniq_pairing_place",
                                    condition=Q(place__isnull=False)),
            models.CheckConstraint(
                name="pairing_one_target",
                condition=(Q(target=PairingTarget.PARK_BUILDING, park_building__isnull=False, place__isnull=True)
                           | (~Q(target=PairingTarget.PARK_BUILDING) & Q(park_building__isnull=True, place__isnull=False))),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party_org} ↔ {self.park_building or self.place}"


class Team(TenantModel):
    """A visit team of a campaign ("1+3+1"), formed by a unit (usually an agency party organisation)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="teams", verbose_name=_("走访活动"))
    name = models.CharField(_("名称"), max_length=100)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("组队单位"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("走访组")
        verbose_name_plural = _("走访组")
        ordering = ["campaign", "name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="uniq_team_name")]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    """A member: a staff account or a people record (representatives and lawyers usually have no login); one
    staff member records visits for the team (`recorder`)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members", verbose_name=_("走访组"))
    role = models.CharField(_("身份"), max_length=16, choices=MemberRole.choices)
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="visit_teams",
                             verbose_name=_("工作人员"))
    person = models.ForeignKey("orgs.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="visit_teams",
                               verbose_name=_("人员"))
    recorder = models.BooleanField(_("记录员"), default=False)

    class Meta:
        verbose_name = _("走访组成员")
        verbose_name_plural = _("走访组成员")
        ordering = ["team", "pk"]
        constraints = [
            models.CheckConstraint(name="member_user_or_person", condition=Q(user__isnull=False) | Q(person__isnull=False)),
            models.UniqueConstraint(fields=["team", "user"], name="uniq_member_user", condition=Q(user__isnull=False)),
            models.UniqueConstraint(fields=["team", "person"], name="uniq_member_person", condition=Q(person__isnull=False)),
        ]

    def __str__(self) -> str:
        return str(self.user or self.person)


class Subject(TenantModel):
    """One household or enterprise a campaign must visit, with its coverage group and its team. Denormalised
    (street, community, walk order, first visit) so coverage and field lists are single-table reads."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="subjects", verbose_name=_("走访活动"))
    kind = models.CharField(_("对象类型"), max_length=10, choices=SubjectKind.choices)
    group = models.CharField(_("覆盖分组"), max_length=16, choices=SubjectGroup.choices, db_index=True)
    household = models.ForeignKey("places.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("住户"))
    enterprise = models.ForeignKey("places.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("企业"))
    street = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("街道"))
    community = models.ForeignKey("places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("居委"))
    park_building = models.ForeignKey("places.ParkBuilding", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("园区楼宇"))
    # community → compound → building → room (households), or building → name (enterprises): the field list's order
    walk_key = models.CharField(_("走访顺序"), max_length=200)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="subjects",
                             verbose_name=_("走访组"))
    assigned_by_hand = models.BooleanField(_("手工指派"), default=False)
    first_visited_on = models.DateField(_("首次走访日期"), null=True, blank=True)
    visits_count = models.PositiveIntegerField(_("走访次数"), default=0)

    class Meta:
        verbose_name = _("走访对象")
        verbose_name_plural = _("走访对象")
        ordering = ["campaign", "walk_key"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "household"], name="uniq_subject_household",
                                    condition=Q(household__isnull=False)),
            models.UniqueConstraint(fields=["campaign", "enterprise"], name="uniq_subject_enterprise",
                                    condition=Q(enterprise__isnull=False)),
            models.CheckConstraint(name="subject_one_of",
                                   condition=(Q(kind=SubjectKind.HOUSEHOLD, household__isnull=False, enterprise__isnull=True)
                                              | Q(kind=SubjectKind.ENTERPRISE, enterprise__isnull=False, household__isnull=True))),
        ]
        indexes = [
            models.Index(fields=["campaign", "team", "walk_key"]),
            # coverage (selectors.coverage_for): the grouped cells read from the index alone (PostgreSQL INCLUDE;
            # elsewhere a plain index); its prefix serves a street's and a committee's reads
            models.Index(fields=["campaign", "street", "community", "team", "group"], include=["first_visited_on"],
                         name="subject_coverage_cells"),
            models.Index(fields=["campaign", "first_visited_on"], name="subject_first_visits"),  # progress by day
            # the silent minority (selectors.unvisited_for): key-group subjects not yet visited, a few % of all
            models.Index(fields=["campaign", "street", "community", "team"], name="subject_key_unvisited",
                         condition=Q(first_visited_on__isnull=True, group__in=["household_key", "enterprise_key"])),
        ]

    def __str__(self) -> str:
        return str(self.household or self.enterprise)


class Visit(TenantModel):
    """A visit made: who went where, how, what they heard. `client_id` (made on the phone) makes a submission
    idempotent: the same record sent again answers the stored visit."""

    client_id = models.UUIDField(_("客户端编号"), unique=True)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="visits", verbose_name=_("走访活动"))
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="visits", verbose_name=_("走访对象"))
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="visits", verbose_name=_("走访组"))
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits",
                              verbose_name=_("调研课题"))
    # copies of the subject's, for the household's or enterprise's page across campaigns and for scope
    household = models.ForeignKey("places.Household", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    enterprise = models.ForeignKey("places.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    street = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("街道"))
    community = models.ForeignKey("places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("居委"))
    visited_on = models.DateField(_("走访日期"))
    method = models.CharField(_("走访方式"), max_length=12, choices=VisitMethod.choices)
    members = models.ManyToManyField(TeamMember, blank=True, related_name="visits", verbose_name=_("参加人员"))
    summary = models.TextField(_("走访情况"))
    satisfaction = models.CharField(_("对政府服务的满意度"), max_length=12, choices=VisitSatisfaction.choices)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("记录人"))
    recorded_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_on", "-pk"]
        indexes = [models.Index(fields=["campaign", "visited_on"]), models.Index(fields=["household", "visited_on"]),
                   models.Index(fields=["enterprise", "visited_on"])]

    def __str__(self) -> str:
        return f"{self.subject} {self.visited_on}"


class VisitProblem(models.Model):
    """A problem raised in a visit and the case it became (registered in the same step, through the cases
    services: channel = visit, external id = "<client_id>:<n>")."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="problems", verbose_name=_("走访记录"))
    position = models.PositiveSmallIntegerField(_("序号"))
    description = models.TextField(_("问题"))
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="visit_problem", verbose_name=_("工单"))

    class Meta:
        verbose_name = _("走访问题")
        verbose_name_plural = _("走访问题")
        ordering = ["visit", "position"]
        constraints = [models.UniqueConstraint(fields=["visit", "position"], name="uniq_problem_position")]

    def __str__(self) -> str:
        return self.description[:40]


class FollowUp(models.Model):
    """On a repeat visit, what the person said about a case raised before ("last time you raised X; are you
    satisfied?"). Where the case awaited a rating, the answer was recorded as its rating (`rated`)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("走访记录"))
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("工单"))
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=VisitSatisfaction.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    rated = models.BooleanField(_("已记为工单评价"), default=False)

    class Meta:
        verbose_name = _("回访")
        verbose_name_plural = _("回访")
        constraints = [models.UniqueConstraint(fields=["visit", "case"], name="uniq_follow_up")]

    def __str__(self) -> str:
        return f"{self.visit} · {self.case_id}"


class FieldListVersion(models.Model):
    """A team's field-list version: a fresh random number each time anything its field list shows changes. Kept by
    database triggers (migration 0002) on every table the list reads, in the writer's transaction — no service
    bumps it, so none can forget to; the API caches the list's body per (team, viewer's view, language) with the
    version it was built at (`field_list_cache`). Random, not a counter: a team id given again (a test's rolled
    back transaction, a database built anew beside a kept cache) never meets a version of the old one."""

    team = models.OneToOneField(Team, primary_key=True, on_delete=models.CASCADE, related_name="+")
    version = models.BigIntegerField()

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.team_id}: {self.version}"


class CoverageVersion(models.Model):
    """A campaign's coverage version: like `FieldListVersion`, a fresh random number set by triggers (migration
    0002) whenever what the coverage overview counts or names changes — its subjects, visits, teams, targets, the
    streets' and communities' names. `selectors.coverage_overview_for` keeps its figures with it."""

    campaign = models.OneToOneField(Campaign, primary_key=True, on_delete=models.CASCADE, related_name="+")
    version = models.BigIntegerField()

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.campaign_id}: {self.version}"
