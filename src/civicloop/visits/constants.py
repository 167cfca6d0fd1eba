"""The visits app's vocabulary."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _

from civicloop.orgs.constants import PersonKind


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("草拟")
    RUNNING = "running", _("进行中")
    CLOSED = "closed", _("已结束")


class SubjectKind(models.TextChoices):
    HOUSEHOLD = "household", _("住户")
    ENTERPRISE = "enterprise", _("企业")


class SubjectGroup(models.TextChoices):
    """A coverage group: the subject's kind and whether it carries a key-group tag (places.Tag.key_group:
    独居老人, 残疾, 低保, 困难家庭, 重点人才 …; 重点企业) — the "silent minority" a campaign covers 100 %."""

    HOUSEHOLD_KEY = "household_key", _("重点人群住户")
    HOUSEHOLD_OTHER = "household_other", _("其他住户")
    ENTERPRISE_KEY = "enterprise_key", _("重点企业")
    ENTERPRISE_OTHER = "enterprise_other", _("其他企业")


KEY_GROUPS = (SubjectGroup.HOUSEHOLD_KEY, SubjectGroup.ENTERPRISE_KEY)
GROUP_KIND = {SubjectGroup.HOUSEHOLD_KEY: SubjectKind.HOUSEHOLD, SubjectGroup.HOUSEHOLD_OTHER: SubjectKind.HOUSEHOLD,
              SubjectGroup.ENTERPRISE_KEY: SubjectKind.ENTERPRISE, SubjectGroup.ENTERPRISE_OTHER: SubjectKind.ENTERPRISE}

# Coverage targets of a new campaign, in percent of each group (the seeds: the silent minority and every
# enterprise 100 %, other households about 30 %).
DEFAULT_TARGETS = {SubjectGroup.HOUSEHOLD_KEY: 100, SubjectGroup.HOUSEHOLD_OTHER: 30,
                   SubjectGroup.ENTERPRISE_KEY: 100, SubjectGroup.ENTERPRISE_OTHER: 100}

# The "五个结合" themes offered for a new campaign (editable tags on the campaign).
DEFAULT_THEMES = ["与党史学习教育相结合", "与优化营商环境相结合", "与城市更新相结合", "与基层治理相结合",
                  "与为民办实事相结合"]


class MemberRole(models.TextChoices):
    """A seat a team member fills (the kinds of people of orgs.PersonKind that sit on a team, and staff)."""

    LEAD_CADRE = "lead_cadre", _("带队处级干部")
    PARTY_REP = "party_rep", _("党代表")
    NPC_DEPUTY = "npc_deputy", _("人大代表")
    CPPCC_MEMBER = "cppcc_member", _("政协委员")
    YOUTH_MEMBER = "youth_member", _("青联委员")
    LAWYER = "lawyer", _("律师")
    STAFF = "staff", _("工作人员")


# The role a person record fills by its kind.
ROLE_OF_PERSON_KIND = {PersonKind.CADRE: MemberRole.LEAD_CADRE, PersonKind.PARTY_REP: MemberRole.PARTY_REP,
                       PersonKind.NPC_DEPUTY: MemberRole.NPC_DEPUTY, PersonKind.CPPCC_MEMBER: MemberRole.CPPCC_MEMBER,
                       PersonKind.YOUTH_MEMBER: MemberRole.YOUTH_MEMBER, PersonKind.LAWYER: MemberRole.LAWYER}

# The "1+3+1" rule, as data (Campaign.team_rule): seats in order, each with the roles that fill it and how many.
# The third representative seat takes a CPPCC or a youth-federation member.
TEAM_RULE_1_3_1 = [
    {"seat": "lead", "label": "带队处级干部", "roles": [MemberRole.LEAD_CADRE.value], "min": 1},
    {"seat": "party_rep", "label": "党代表", "roles": [MemberRole.PARTY_REP.value], "min": 1},
    {"seat": "npc_deputy", "label": "人大代表", "roles": [MemberRole.NPC_DEPUTY.value], "min": 1},
    {"seat": "cppcc_or_youth", "label": "政协委员或青联委员",
     "roles": [MemberRole.CPPCC_MEMBER.value, MemberRole.YOUTH_MEMBER.value], "min": 1},
    {"seat": "lawyer", "label": "律师", "roles": [MemberRole.LAWYER.value], "min": 1},
]


class PairingTarget(models.TextChoices):
    PARK_BUILDING = "park_building", _("园区楼宇")
    COMMUNITY = "community", _("居委")
    COMPOUND = "compound", _("小区")


class VisitMethod(models.TextChoices):
    DOOR = "door", _("入户")
    PHONE = "phone", _("电话")
    FORUM = "forum", _("座谈")
    ENTERPRISE = "enterprise", _("企业走访")


class VisitSatisfaction(models.TextChoices):
    """How the visited person rates government services (the visit's own question, not a case rating)."""

    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")
    NO_ANSWER = "no_answer", _("未表态")


# ----- campaigns, pairing, teams, assignment


class CampaignAuditAction(StrEnum):
    """core.AuditLog actions written by the campaign services (object_type "visits.campaign", "visits.topic",
    "visits.pairing", "visits.team", "visits.team_member"; details name what changed)."""

    CAMPAIGN_CREATE = "visits.campaign_create"
    CAMPAIGN_UPDATE = "visits.campaign_update"  # details.changed: the fields changed
    CAMPAIGN_START = "visits.campaign_start"  # draft → running; details: the assignment run's counts
    CAMPAIGN_CLOSE = "visits.campaign_close"  # running → closed
    TOPIC_CREATE = "visits.topic_create"
    TOPIC_UPDATE = "visits.topic_update"
    PAIRING_CREATE = "visits.pairing_create"
    PAIRING_DELETE = "visits.pairing_delete"  # details: what was paired (the row is gone)
    TEAM_CREATE = "visits.team_create"
    TEAM_UPDATE = "visits.team_update"
    MEMBER_ADD = "visits.member_add"
    MEMBER_REMOVE = "visits.member_remove"
    MEMBER_RECORDER = "visits.member_recorder"  # the recorder flag moved to this member
    ASSIGNMENT_RUN = "visits.assignment_run"  # details: created, deleted, assigned, moved, kept, unassigned
    ASSIGN_BY_HAND = "visits.assign_by_hand"  # details: subject ids, team
    SUBJECT_UNPIN = "visits.subject_unpin"  # a hand assignment released; details: subject, its team


class VisitImportKind(models.TextChoices):
    """The visits app's kinds of the imports framework (`import_kinds.py`)."""

    PAIRINGS = "pairings", _("结对")  # party organisation ↔ park building / community / compound
