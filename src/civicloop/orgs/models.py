from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicloop.core.models import TenantModel

from .constants import PersonKind, Role, UnitKind


class Unit(TenantModel):
    """An organisation that handles cases, owns tasks and is assessed. `territory` is the place it covers
    (a street office: its street; a committee: its community; district offices: the district; departments:
    none — their reach is their duties across the district)."""

    code = models.CharField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("上级单位"))
    territory = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="units", verbose_name=_("辖区")
    )
    duties = models.TextField(_("职责"), blank=True)
    # The key groups a department's duty covers (civil affairs: 低保, hardship, disabled, elderly alone): its staff
    # see those households and enterprises across the district, with those tags (places.permissions).
    duty_tags = models.ManyToManyField("places.Tag", blank=True, related_name="duty_units", verbose_name=_("职责覆盖的标签"),
                                       help_text=_("部门可查看带这些标签的住户和企业（及这些标签）；其余只能经其办理的工单查看。"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A staff account. Belongs to one unit; roles are rows in UserRole."""

    display_name = models.CharField(_("姓名"), max_length=40, blank=True)
    phone = models.CharField(_("手机"), max_length=20, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="staff", verbose_name=_("单位"))
    district = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("区")
    )

    class Meta:
        verbose_name = _("工作人员")
        verbose_name_plural = _("工作人员")

    def __str__(self) -> str:
        return self.display_name or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(self.role_rows.values_list("role", flat=True))


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_rows")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="uniq_user_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class Person(TenantModel):
    """A person record without (necessarily) a login: representatives, lawyers, volunteers, party members."""

    code = models.CharField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("姓名"), max_length=40)
    kind = models.CharField(_("身份"), max_length=20, choices=PersonKind.choices, db_index=True)
    phone = models.CharField(_("手机"), max_length=20, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="people", verbose_name=_("单位"))
    community = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("报到社区")
    )
    user = models.OneToOneField(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="person")
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name
