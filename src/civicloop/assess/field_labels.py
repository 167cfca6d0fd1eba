"""What a validation refusal calls the fields of the assessment's request schemas (core.validation)."""

from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "template": _("模板"),
    "unit_group": _("考核对象"),
    "dimension": _("维度"),
    "kind": _("指标类型"),
    "metric": _("指标口径"),
    "channel": _("来源渠道"),
    "category_code": _("分类编码"),
    "weight": _("分值"),
    "rule": _("计分规则"),
    "direction": _("方向"),
    "target": _("目标值"),
    "floor": _("保底值"),
    "cap": _("封顶分"),
    "per_item": _("每项分值"),
    "criteria": _("评分标准"),
    "set_id": _("指标体系"),
    "unit_ids": _("考核对象"),
    "medal_rule": _("评奖规则"),
    "gold": _("金奖"),
    "silver": _("银奖"),
    "bronze": _("铜奖"),
    "entries": _("评分"),
    "unit_id": _("考核对象"),
    "indicator_id": _("指标"),
    "value": _("评分或项数"),
    "note": _("依据"),
}
