from django.db import models
from django.utils.translation import gettext_lazy as _


class PlaceLevel(models.TextChoices):
    DISTRICT = "district", _("区")  # tenant root
    STREET = "street", _("街道/镇")  # street office or town
    COMMUNITY = "community", _("居委/村委")  # residential committee = big grid 大网格
    COMPOUND = "compound", _("小区")  # middle grid 中网格
    BUILDING = "building", _("楼栋/楼组")  # micro grid 微网格


# The parent level each level must hang from.
PARENT_LEVEL = {
    PlaceLevel.DISTRICT: None,
    PlaceLevel.STREET: PlaceLevel.DISTRICT,
    PlaceLevel.COMMUNITY: PlaceLevel.STREET,
    PlaceLevel.COMPOUND: PlaceLevel.COMMUNITY,
    PlaceLevel.BUILDING: PlaceLevel.COMPOUND,
}
LEVEL_DEPTH = {level: i for i, level in enumerate(PARENT_LEVEL)}


class TagTarget(models.TextChoices):
    HOUSEHOLD = "household", _("住户")
    ENTERPRISE = "enterprise", _("企业")


class EnterpriseSize(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


# Tags shipped with a new installation; administrators add more in the admin.
DEFAULT_TAGS = [
    # code, name, target, key group (must be covered 100 % by campaigns)
    ("elderly_alone", "独居老人", TagTarget.HOUSEHOLD, True),
    ("disabled", "残疾", TagTarget.HOUSEHOLD, True),
    ("dibao", "低保", TagTarget.HOUSEHOLD, True),
    ("hardship", "困难家庭", TagTarget.HOUSEHOLD, True),
    ("key_talent", "重点人才", TagTarget.HOUSEHOLD, True),
    ("veteran", "退役军人", TagTarget.HOUSEHOLD, False),
    ("key_enterprise", "重点企业", TagTarget.ENTERPRISE, True),
    ("hq", "总部企业", TagTarget.ENTERPRISE, False),
    ("high_tech", "高新技术企业", TagTarget.ENTERPRISE, False),
    ("foreign", "外资企业", TagTarget.ENTERPRISE, False),
]
