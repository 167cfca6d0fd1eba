from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    DISTRICT_OFFICE = "district_office", _("区委区政府")  # district leadership offices
    RESEARCH_OFFICE = "research_office", _("区调研办")  # runs campaigns, cross-cutting dispatch, assessment
    STREET_OFFICE = "street_office", _("街道/镇")  # street office or town government
    COMMITTEE = "committee", _("居委/村委")  # residential or village committee
    DEPARTMENT = "department", _("委办局")  # functional department (housing, urban management …)
    PARTY_ORG = "party_org", _("机关党组织")  # agency party organisation, paired with buildings/communities
    CONSULTATION_BODY = "consultation_body", _("会商机构")  # the "2+1" consultation platform


# Units whose staff see the whole district's territory.
DISTRICT_WIDE_KINDS = {UnitKind.DISTRICT_OFFICE, UnitKind.RESEARCH_OFFICE, UnitKind.CONSULTATION_BODY}


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("区管理员")  # configures the district, imports data
    DISPATCHER = "dispatcher", _("派单员")  # triages and dispatches cases
    HANDLER = "handler", _("承办人")  # accepts and handles cases for a unit
    GRID_WORKER = "grid_worker", _("网格员")  # registers problems found on patrol
    VISIT_MEMBER = "visit_member", _("走访组成员")  # visits households/enterprises
    INSPECTOR = "inspector", _("巡访员")  # records inspection findings
    LEADER = "leader", _("领导")  # reads everything below their unit


class PersonKind(models.TextChoices):
    PARTY_REP = "party_rep", _("党代表")
    NPC_DEPUTY = "npc_deputy", _("人大代表")
    CPPCC_MEMBER = "cppcc_member", _("政协委员")
    YOUTH_MEMBER = "youth_member", _("青联委员")
    LAWYER = "lawyer", _("律师")
    VOLUNTEER = "volunteer", _("志愿者")
    PARTY_MEMBER = "party_member", _("报到党员")
    CADRE = "cadre", _("处级干部")


REPRESENTATIVE_KINDS = {PersonKind.PARTY_REP, PersonKind.NPC_DEPUTY, PersonKind.CPPCC_MEMBER, PersonKind.YOUTH_MEMBER}


class AuthEvent(models.TextChoices):
    """Actions of core.AuditLog written for logins (orgs/auth_events.py)."""

    LOGIN = "login", _("登录")
    LOGOUT = "logout", _("退出登录")  # details.reason: "user", "idle" or "expired"
    LOGIN_FAILED = "login_failed", _("登录失败")  # details.locked: refused because of a lockout
    LOGIN_LOCKED = "login_locked", _("登录锁定")  # the failure that started a lockout
