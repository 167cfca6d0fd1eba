"""What a validation refusal calls the fields of the volunteers app's request schemas (`VolunteersConfig.field_labels`,
read by core.validation)."""

from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "community_id": _("社区"),
    "kind": _("身份"),
    "name": _("姓名"),
    "phone": _("手机"),
    "unit_id": _("所在单位"),
    "person_id": _("人员"),
    "title": _("服务内容"),
    "category": _("服务类别"),
    "starts_at": _("开始时间"),
    "ends_at": _("结束时间"),
    "slots": _("名额"),
    "location": _("集合地点"),
    "member_id": _("志愿者"),
    "at": _("时间"),
    "check_in_at": _("签到时间"),
    "check_out_at": _("签退时间"),
    "reason": _("更正原因"),
    "phone_last4": _("手机号后四位"),
    "street_id": _("街道"),
    "top_n": _("名额"),
    "min_hours": _("最少时长"),
    "year": _("年度"),
    "need_id": _("服务需求"),
    "signup_id": _("报名"),
    "rule_id": _("表彰规则"),
    "place_id": _("地点"),
    "open_only": _("仅招募中"),
}
# ("code" is named by ProofIn's title: a label here would rename every app's field of that name)
