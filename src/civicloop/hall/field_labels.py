"""What a validation refusal calls the fields of the hall's request schemas (`HallConfig.field_labels`, read by
core.validation). Names another app labels first keep that app's label."""

from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "place_id": _("涉及范围"),
    "title": _("议题"),
    "body": _("议题说明"),
    "origin": _("提出方"),
    "proposer": _("提议人"),
    "speaker": _("发言人"),
    "reason": _("隐藏理由"),
    "date": _("会议日期"),
    "agenda": _("会议议程"),
    "location": _("会议地点"),
    "minutes": _("会议纪要"),
    "household_ids": _("参会住户"),
    "attendees_other": _("其他参会人数"),
    "question": _("表决事项"),
    "proposal": _("方案内容"),
    "rule_code": _("表决规则"),
    "ballot": _("表决方式"),
    "closes_at": _("截止时间"),
    "household_code": _("户编码"),
    "choice": _("表决意见"),
    "phone_last4": _("手机号后四位"),
    "kind": _("结果去向"),
    "plan_id": _("所属计划"),
    "owner_unit_id": _("责任单位"),
    "due": _("完成期限"),
    "convention_id": _("微规约"),
    "convention_title": _("规约名称"),
    "effective_from": _("生效日期"),
    "text": _("规约内容"),
}
