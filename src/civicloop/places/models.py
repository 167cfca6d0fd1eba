from django.db import models
from django.utils.translation import gettext_lazy as _

from civicloop.core.models import TenantModel

from .constants import EnterpriseSize, PlaceLevel, TagTarget


class Place(models.Model):
    """A territorial unit. `code` is the natural key (official 12-digit division code where one exists).

    `path` is the materialised chain of codes ("/310104000000/310104002000/") for subtree reads; the
    denormalised `district`/`street`/`community` ancestors make scope filters single-column lookups.
    """

    code = models.CharField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=12, choices=PlaceLevel.choices, db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=255, db_index=True)
    district = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    street = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    abbr = models.CharField(_("简称"), max_length=8, blank=True, help_text=_("区的字母简称，用于工单编号，如 XH"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    boundary = models.JSONField(_("边界 GeoJSON"), null=True, blank=True)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = _("地点")
        verbose_name_plural = _("地点")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "code"])]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    """An extensible label for households or enterprises; key groups must be covered 100 % by campaigns."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    target = models.CharField(_("适用对象"), max_length=12, choices=TagTarget.choices)
    key_group = models.BooleanField(_("重点人群"), default=False)

    class Meta:
        verbose_name = _("标签")
        verbose_name_plural = _("标签")
        ordering = ["target", "code"]

    def __str__(self) -> str:
        return self.name


class Household(TenantModel):
    code = models.CharField(_("户编码"), max_length=60, unique=True)
    street = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("街道"))
    community = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("居委"))
    building = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="households", verbose_name=_("楼栋"))
    room = models.CharField(_("室号"), max_length=20, blank=True)
    address = models.CharField(_("地址"), max_length=200)
    head_name = models.CharField(_("户主姓名"), max_length=40, blank=True)
    head_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    head_id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    members = models.PositiveSmallIntegerField(_("人数"), default=1)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="households", verbose_name=_("标签"))

    class Meta:
        verbose_name = _("住户")
        verbose_name_plural = _("住户")
        ordering = ["code"]
        indexes = [models.Index(fields=["community", "code"]), models.Index(fields=["street", "code"])]

    def __str__(self) -> str:
        return self.address


class Zone(TenantModel):
    """Functional zone 功能区 (Xuhui: 8)."""

    code = models.CharField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    boundary = models.JSONField(_("边界 GeoJSON"), null=True, blank=True)

    class Meta:
        verbose_name = _("功能区")
        verbose_name_plural = _("功能区")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ParkBuilding(TenantModel):
    """Park building 园区楼宇 in a functional zone (Xuhui: 154)."""

    code = models.CharField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("功能区"))
    street = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("街道"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        verbose_name = _("园区楼宇")
        verbose_name_plural = _("园区楼宇")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Enterprise(TenantModel):
    """Legal entity 法人单位; natural key is the 统一社会信用代码 (GB 32100)."""

    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("名称"), max_length=120)
    street = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("街道"))
    community = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("居委")
    )
    park_building = models.ForeignKey(
        ParkBuilding, null=True, blank=True, on_delete=models.PROTECT, related_name="enterprises", verbose_name=_("园区楼宇")
    )
    industry = models.CharField(_("行业"), max_length=60, blank=True)
    size = models.CharField(_("规模"), max_length=10, choices=EnterpriseSize.choices, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="enterprises", verbose_name=_("标签"))

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["credit_code"]
        indexes = [models.Index(fields=["street", "name"])]

    def __str__(self) -> str:
        return self.name
