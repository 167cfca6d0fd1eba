"""What a validation refusal calls the fields of the visits app's request schemas (`VisitsConfig.field_labels`,
read by core.validation): the words of the record form. Names another app labels first (description, case_id,
note) keep that app's label."""

from django.utils.translation import gettext_lazy as _

from .constants import SubjectGroup

FIELD_LABELS = {
    "client_id": _("记录编号"),
    "subject_id": _("走访对象"),
    "visited_on": _("走访日期"),
    "method": _("走访方式"),
    "summary": _("走访情况"),
    "satisfaction": _("满意度"),
    "member_ids": _("参加人员"),
    "topic_id": _("调研课题"),
    "problems": _("反映的问题"),
    "follow_ups": _("回访"),
    "campaign": _("走访活动"),
    "campaign_id": _("走访活动"),
    "team_id": _("走访组"),
    "subject": _("走访对象"),
    "team": _("走访组"),
    # ----- campaigns: the keys of a campaign's coverage targets, a SubjectGroup each
    **{group.value: group.label for group in SubjectGroup},
    # ----- coverage
    "street": _("街道"),
    "community": _("居委"),
    "unassigned": _("未分配走访组"),
    "group": _("覆盖分组"),
    "sort": _("排序"),
}
