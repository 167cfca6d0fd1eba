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
    # ----- campaigns, topics, pairings, teams, members, assignment (the write schemas of campaign_inputs.py)
    "name": _("名称"),
    "unit_ids": _("参与单位"),
    "area_ids": _("走访范围"),
    "subject_kinds": _("走访对象"),
    "targets": _("覆盖目标（%）"),
    "themes": _("主题（五个结合）"),
    "team_rule": _("组队规则"),
    "leader_id": _("牵头领导"),
    "party_org_id": _("机关党组织"),
    "target": _("结对对象类型"),
    "target_id": _("结对对象"),
    "pairing_id": _("结对"),
    "unit_id": _("单位"),
    "active": _("启用"),
    "user_id": _("工作人员"),
    "person_id": _("人员"),
    "member_id": _("走访组成员"),
    "recorder": _("记录员"),
    "subject_ids": _("走访对象"),
    # ----- campaigns: the keys of a campaign's coverage targets, a SubjectGroup each
    **{group.value: group.label for group in SubjectGroup},
    # ----- coverage
    "street": _("街道"),
    "community": _("居委"),
    "unassigned": _("未分配走访组"),
    "group": _("覆盖分组"),
    "sort": _("排序"),
}
