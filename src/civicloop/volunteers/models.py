"""Members (a person record registered to a community), service needs with their slots, sign-ups with check-in and
check-out, the hours ledger, and recognition rules kept as data. Every row carries its district, street and
community (denormalised, as cases do) so `Scope.territorial_q` reads them without a join."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicloop.core.models import TenantModel

from .constants import ACTIVE_SIGNUP_STATES, EntryKind, MemberKind, NeedCategory, NeedState, SignUpState

USER = settings.AUTH_USER_MODEL


class Territorial(TenantModel):
    street = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("街道"))
    community = models.ForeignKey("places.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("社区"))

    class Meta:
        abstract = True


class Member(Territorial):
    """A person (orgs.Person: name, phone, ID number — masked for who may not see them) registered to a community,
    as a volunteer or a party member reporting from their unit (在职党员到社区报到: `unit`, the agency or its party
    organisation). One registration per person; leaving keeps the row (and its hours) with `active` False."""

    person = models.OneToOneField("orgs.Person", on_delete=models.PROTECT, related_name="volunteer",
                                  verbose_name=_("人员"))
    kind = models.CharField(_("身份"), max_length=16, choices=MemberKind.choices)
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("所在单位"))
    registered_at = models.DateTimeField(_("报到时间"))
    registered_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(_("在册"), default=True)

    class Meta:
        verbose_name = _("志愿者和报到党员")
        verbose_name_plural = _("志愿者和报到党员")
        ordering = ["community", "id"]
        indexes = [models.Index(fields=["community", "kind"], name="vol_member_comm_kind")]

    def __str__(self) -> str:
        return str(self.person)


class ServiceNeed(Territorial):
    """A need a committee posts (an elderly visit, a patrol, garbage-sorting guidance …) with a time and a number of
    slots. `taken` counts the sign-ups holding a slot, moved only by a conditional UPDATE (`taken < slots`): two
    sign-ups for the last slot cannot both succeed, on SQLite or PostgreSQL."""

    title = models.CharField(_("服务内容"), max_length=100)
    category = models.CharField(_("服务类别"), max_length=20, choices=NeedCategory.choices)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    slots = models.PositiveIntegerField(_("名额"))
    taken = models.PositiveIntegerField(default=0)
    location = models.CharField(_("集合地点"), max_length=100, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=NeedState.choices, default=NeedState.OPEN)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("服务需求")
        verbose_name_plural = _("服务需求")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["street", "state", "starts_at"], name="vol_need_street_open")]
        constraints = [models.CheckConstraint(condition=Q(taken__lte=models.F("slots")), name="vol_need_not_overfull"),
                       models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="vol_need_ends_after")]

    def __str__(self) -> str:
        return self.title

    @property
    def free(self) -> int:
        return max(self.slots - self.taken, 0)

    @property
    def open_now(self) -> bool:
        """Taking sign-ups now (open and not over): what the pages show as 招募中."""
        from django.utils import timezone

        return self.state == NeedState.OPEN and self.ends_at > timezone.now()


class SignUp(Territorial):
    """A member's sign-up for a need, then its check-in and check-out (each by the committee's staff — `*_by` — or by
    the volunteer, `*_by` None). The check-out writes the shift's hours into the ledger; a correction writes the
    difference there."""

    need = models.ForeignKey(ServiceNeed, on_delete=models.PROTECT, related_name="signups")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="signups")
    state = models.CharField(_("状态"), max_length=12, choices=SignUpState.choices, default=SignUpState.SIGNED_UP)
    signed_up_at = models.DateTimeField()
    check_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    check_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    checked_in_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    checked_out_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    hours = models.DecimalField(_("服务时长"), max_digits=7, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["need", "id"]
        # no double sign-up: one slot-holding sign-up per member and need (a cancelled one may be followed by another)
        constraints = [models.UniqueConstraint(fields=["need", "member"], condition=Q(state__in=ACTIVE_SIGNUP_STATES),
                                               name="vol_one_signup_per_need")]

    def __str__(self) -> str:
        return f"{self.need_id}/{self.member_id}"


class HoursEntry(Territorial):
    """The hours ledger: one row per check-out (the shift's hours) and per correction (the difference). A member's
    or a unit's hours are the sum of their rows; rows are never changed."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="entries")
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("所在单位"))  # the member's unit when the hours were given
    signup = models.ForeignKey(SignUp, null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("类型"), max_length=12, choices=EntryKind.choices)
    day = models.DateField(_("服务日期"))  # the shift's day (Shanghai): the year a recognition counts it in
    hours = models.DecimalField(_("时长"), max_digits=8, decimal_places=2)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("服务时长记录")
        verbose_name_plural = _("服务时长记录")
        ordering = ["day", "id"]
        # the board reads the year totals (MemberYearHours), not the ledger: no covering index of a street's year
        indexes = [models.Index(fields=["community", "day"], name="vol_entry_comm_day"),
                   models.Index(fields=["member", "day"], name="vol_entry_member_day")]


class MemberYearHours(Territorial):
    """A member's hours in a calendar year (the year of the ledger rows' `day`): the sum of their ledger rows of that
    year, kept by every service that writes the ledger in the same transaction (`services/totals.py`), so that the
    board, the recognition lists and the hours per unit read one row per member instead of every shift. The
    territory and the unit are the member's (no service moves a member or changes their unit)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="year_totals")
    year = models.PositiveSmallIntegerField(_("年度"))
    unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("所在单位"))
    hours = models.DecimalField(_("时长"), max_digits=10, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("年度服务时长")
        verbose_name_plural = _("年度服务时长")
        ordering = ["year", "member"]
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="vol_one_total_per_member_year")]
        indexes = [models.Index(fields=["street", "year", "hours"], name="vol_total_street_year"),
                   models.Index(fields=["community", "year", "hours"], name="vol_total_comm_year"),
                   models.Index(fields=["district", "year", "hours"], name="vol_total_district_year")]


class RecognitionRule(TenantModel):
    """A recognition list (最美志愿者 …) as data: the members of the district (or of one street) with at least
    `min_hours` in the year, the top `top_n` by hours (all those tied at the last place included), optionally
    of one kind. Computed when read (`recognition.py`), never stored."""

    name = models.CharField(_("名称"), max_length=60)
    street = models.ForeignKey("places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("街道"))  # None: the whole district
    kind = models.CharField(_("身份"), max_length=16, choices=MemberKind.choices, blank=True)  # blank: every kind
    top_n = models.PositiveIntegerField(_("名额"))
    min_hours = models.DecimalField(_("最少时长"), max_digits=7, decimal_places=2)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("表彰规则")
        verbose_name_plural = _("表彰规则")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
