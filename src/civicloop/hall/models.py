"""The hall's tables. Every row carries its district (TenantModel) and the community it belongs to (`street`,
`community` denormalised: scope filters are single-column lookups, `orgs.scope.Scope.territorial_q`)."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicloop.core.models import TenantModel

from .constants import (
    ApproveBase,
    Ballot,
    Choice,
    HallMeetingState,
    OutcomeKind,
    TopicOrigin,
    TopicState,
    Verification,
    VoteState,
)

USER = settings.AUTH_USER_MODEL


def _token() -> str:
    return secrets.token_urlsafe(12)


class CommunityRow(TenantModel):
    """A row of one community's hall: its street and community (the area itself may lie below: a compound, a
    building)."""

    street = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("街道"))
    community = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("居委"))

    class Meta:
        abstract = True


class Topic(CommunityRow):
    """A matter put to the hall, about a place of the community (the community, a compound, a building)."""

    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("涉及范围"))
    title = models.CharField(_("议题"), max_length=200)
    body = models.TextField(_("议题说明"), blank=True)
    origin = models.CharField(_("提出方"), max_length=10, choices=TopicOrigin.choices, default=TopicOrigin.COMMITTEE)
    proposer = models.CharField(_("提议人"), max_length=100, blank=True)  # residents' words: "5号楼居民"
    state = models.CharField(_("状态"), max_length=8, choices=TopicState.choices, default=TopicState.OPEN)
    opened_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("议事议题")
        verbose_name_plural = _("议事议题")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["community", "state"], name="hall_topic_comm_state")]

    def __str__(self) -> str:
        return self.title


class Post(CommunityRow):
    """One contribution to a topic's discussion, keyed in by the committee (`speaker`: who said it). Hidden by a
    moderator with a reason (never deleted: the audit log says who hid it and why)."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="posts")
    speaker = models.CharField(_("发言人"), max_length=100, blank=True)
    body = models.TextField(_("发言内容"))
    author = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(_("隐藏理由"), max_length=200, blank=True)
    hidden_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("议事发言")
        verbose_name_plural = _("议事发言")
        ordering = ["topic", "created_at", "id"]


class HallMeeting(CommunityRow):
    """A residents' meeting (居民议事会) on a topic: agenda, the households attending, minutes."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("会议名称"), max_length=200)
    date = models.DateField(_("会议日期"))
    location = models.CharField(_("会议地点"), max_length=200, blank=True)
    agenda = models.TextField(_("会议议程"))
    minutes = models.TextField(_("会议纪要"), blank=True)
    attendees_other = models.PositiveIntegerField(_("其他参会人数"), default=0)  # 党员, 楼组长, 物业 … not households
    state = models.CharField(_("状态"), max_length=8, choices=HallMeetingState.choices,
                             default=HallMeetingState.PLANNED)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    held_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("居民议事会")
        verbose_name_plural = _("居民议事会")
        ordering = ["-date", "-id"]


class Attendance(TenantModel):
    """A household present at a hall meeting."""

    meeting = models.ForeignKey(HallMeeting, on_delete=models.CASCADE, related_name="attendance")
    household = models.ForeignKey("places.Household", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("参会住户")
        verbose_name_plural = _("参会住户")
        constraints = [models.UniqueConstraint(fields=["meeting", "household"], name="uniq_hall_attendance")]


class VoteRule(models.Model):
    """A quorum and majority rule, as data: at least `quorum` of the area's households vote, and `yes` reaches
    `approve` of the base (the voters or every household; `approve_strict`: more than, not at least)."""

    code = models.SlugField(_("编码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    quorum_num = models.PositiveSmallIntegerField(_("参与比例分子"))
    quorum_den = models.PositiveSmallIntegerField(_("参与比例分母"))
    approve_num = models.PositiveSmallIntegerField(_("同意比例分子"))
    approve_den = models.PositiveSmallIntegerField(_("同意比例分母"))
    approve_base = models.CharField(_("同意比例基数"), max_length=10, choices=ApproveBase.choices)
    approve_strict = models.BooleanField(_("须超过该比例"), default=False)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("表决规则")
        verbose_name_plural = _("表决规则")
        ordering = ["code"]
        constraints = [models.CheckConstraint(condition=Q(quorum_den__gt=0, approve_den__gt=0,
                                                          quorum_num__lte=models.F("quorum_den"),
                                                          approve_num__lte=models.F("approve_den")),
                                              name="hall_rule_fractions")]

    def __str__(self) -> str:
        return self.name


class Vote(CommunityRow):
    """A vote of the households of an area (community, compound or building) on a topic. The rule is copied when
    it opens (a later edit of the rule does not move a running vote); the tally is written once, when it closes."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="votes")
    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("表决范围"))
    area_path = models.CharField(max_length=255)  # the place's path: its households' buildings lie under it
    question = models.CharField(_("表决事项"), max_length=300)
    proposal = models.TextField(_("方案内容"), blank=True)  # a convention's text, a plan's words …
    ballot = models.CharField(_("表决方式"), max_length=8, choices=Ballot.choices, default=Ballot.OPEN)
    rule = models.ForeignKey(VoteRule, on_delete=models.PROTECT, related_name="+", verbose_name=_("表决规则"))
    rule_name = models.CharField(max_length=100)
    quorum_num = models.PositiveSmallIntegerField()
    quorum_den = models.PositiveSmallIntegerField()
    approve_num = models.PositiveSmallIntegerField()
    approve_den = models.PositiveSmallIntegerField()
    approve_base = models.CharField(max_length=10, choices=ApproveBase.choices)
    approve_strict = models.BooleanField(default=False)
    state = models.CharField(_("状态"), max_length=8, choices=VoteState.choices, default=VoteState.OPEN)
    token = models.CharField(max_length=32, unique=True, default=_token)  # the residents' voting page's address
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField(_("截止时间"))
    opened_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    # the result, written once when it closes
    closed_at = models.DateTimeField(null=True, blank=True)
    eligible = models.PositiveIntegerField(null=True, blank=True)
    yes = models.PositiveIntegerField(null=True, blank=True)
    no = models.PositiveIntegerField(null=True, blank=True)
    abstain = models.PositiveIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)

    class Meta:
        verbose_name = _("住户表决")
        verbose_name_plural = _("住户表决")
        ordering = ["-opens_at", "-id"]
        indexes = [models.Index(fields=["community", "state"], name="hall_vote_comm_state")]

    def __str__(self) -> str:
        return self.question


class VoteBallot(TenantModel):
    """One household's ballot. One per household and vote, whatever the race (the unique constraint). A secret
    ballot's choice is not here: it only adds to `SecretCount`."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="ballots")
    household = models.ForeignKey("places.Household", on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=8, choices=Choice.choices, blank=True)  # "" for a secret ballot
    verification = models.CharField(max_length=12, choices=Verification.choices)
    verified_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cast_at = models.DateTimeField()

    class Meta:
        verbose_name = _("表决票")
        verbose_name_plural = _("表决票")
        constraints = [models.UniqueConstraint(fields=["vote", "household"], name="uniq_hall_ballot_household")]


class SecretCount(models.Model):
    """A secret vote's count of one choice (the only place its choices are kept)."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="secret_counts")
    choice = models.CharField(max_length=8, choices=Choice.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vote", "choice"], name="uniq_hall_secret_count")]

    def __str__(self) -> str:
        return f"{self.choice}: {self.count}"


class Convention(CommunityRow):
    """A compound convention (微规约) of a place of the community; its text lives in its versions."""

    place = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("适用范围"))
    title = models.CharField(_("规约名称"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("微规约")
        verbose_name_plural = _("微规约")
        ordering = ["community", "title", "id"]
        constraints = [models.UniqueConstraint(fields=["place", "title"], name="uniq_hall_convention_title")]

    def __str__(self) -> str:
        return self.title


class ConventionVersion(TenantModel):
    """One version of a convention: its text, from when it is in force, and the vote that adopted it (None: a
    convention adopted before the hall kept votes, keyed in from paper)."""

    convention = models.ForeignKey(Convention, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本"))
    text = models.TextField(_("规约内容"))
    effective_from = models.DateField(_("生效日期"))
    vote = models.OneToOneField(Vote, null=True, blank=True, on_delete=models.PROTECT, related_name="convention_version")
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("微规约版本")
        verbose_name_plural = _("微规约版本")
        ordering = ["convention", "-number"]
        constraints = [models.UniqueConstraint(fields=["convention", "number"], name="uniq_hall_convention_version")]


class VoteOutcome(TenantModel):
    """What a passed vote became: at most one of each kind (the unique constraint), each linked both ways — the
    case by its external id HV<vote id>, the task by its source ("hall_vote", vote id), the convention version by
    its `vote`."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="outcomes")
    kind = models.CharField(_("结果去向"), max_length=12, choices=OutcomeKind.choices)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    task_id = models.BigIntegerField(null=True, blank=True)
    convention_version = models.ForeignKey(ConventionVersion, null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="+")
    made_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField()

    class Meta:
        verbose_name = _("表决结果去向")
        verbose_name_plural = _("表决结果去向")
        constraints = [models.UniqueConstraint(fields=["vote", "kind"], name="uniq_hall_vote_outcome")]
