"""Forms of the case pages: registration (a Django form) and the fields of each action form.

Action forms post the same field names as the API's request schemas (actions.ACTION_SCHEMAS), which validate them.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from civicloop.orgs.constants import UnitKind
from civicloop.orgs.models import Unit
from civicloop.places.constants import PlaceLevel

from .constants import (
    Action,
    AppealType,
    CaseState,
    Channel,
    Layer,
    ReplyChannel,
    Satisfaction,
    StaffChannel,
    Urgency,
)
from .models import Category
from .permissions import dispatch_targets_q


def category_choices() -> list[tuple]:
    rows = Category.objects.filter(active=True, parent__isnull=False).select_related("parent").order_by("code")
    return [(c.pk, f"{c.parent.name} / {c.name}") for c in rows]


def dispatch_units(district_id: int, actor):
    """The units `actor` may dispatch to in the district (the service's own rule, permissions.dispatch_targets_q)."""
    return Unit.objects.filter(dispatch_targets_q(actor), district_id=district_id, active=True).exclude(
        kind=UnitKind.CONSULTATION_BODY)


def unit_choices(district_id: int, actor) -> list[tuple]:
    return [(u.pk, u.name) for u in dispatch_units(district_id, actor).order_by("kind", "code")]


class RegisterForm(forms.Form):
    channel = forms.ChoiceField(label=_("来源"), choices=StaffChannel.choices, initial=Channel.HOTLINE_12345)
    # not sent (an older form, a script): 求助, the registration's own default
    appeal_type = forms.TypedChoiceField(label=_("诉求类型"), choices=AppealType.choices, initial=AppealType.HELP,
                                         required=False, empty_value=AppealType.HELP)
    category_id = forms.TypedChoiceField(label=_("分类"), coerce=int, required=False, empty_value=None)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL)
    community = forms.ChoiceField(label=_("居委"), required=False)
    place_code = forms.CharField(label=_("地点编码"), max_length=100, required=False,
                                 help_text=_("可填写小区、楼栋等地点编码；不填则使用所选居委。"))
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    description = forms.CharField(label=_("诉求内容"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    reporter_name = forms.CharField(label=_("诉求人"), max_length=40, required=False)
    reporter_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    reporter_id_number = forms.CharField(label=_("身份证号"), max_length=18, required=False)
    reporter_anonymous = forms.BooleanField(label=_("匿名"), required=False)

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category_id"].choices = [("", "—"), *category_choices()]
        self.fields["community"].choices = [("", "—"), *((p.code, p.name) for p in communities)]
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else "form-control"
            if isinstance(field.widget, forms.Select):
                css = "form-select"
            field.widget.attrs.setdefault("class", css)


def community_places(places_qs):
    return places_qs.filter(level=PlaceLevel.COMMUNITY).order_by("code")


# the fields each action form shows: (name, label, kind, choices-or-None); kind is text/textarea/number/select/multi
# How a dispatcher thinks of the units they may dispatch to: groups in this order (the suggestion first).
UNIT_GROUPS = ((UnitKind.COMMITTEE, _("居委会")), (UnitKind.STREET_OFFICE, _("街道办事处")),
               (UnitKind.DEPARTMENT, _("区职能部门")), (UnitKind.RESEARCH_OFFICE, _("区级单位")),
               (UnitKind.DISTRICT_OFFICE, _("区级单位")), (UnitKind.PARTY_ORG, _("机关党组织")))


def unit_groups(district_id: int, actor, *, suggested: str = "") -> tuple[list, str | None]:
    """The units `actor` may dispatch to (`unit_choices`' rule), grouped as a dispatcher thinks — the category's
    default lead unit (`suggested`, a unit name) first as 建议 —, and the suggested unit's id (or None)."""
    rows = dispatch_units(district_id, actor).order_by("code").values_list("pk", "name", "kind")
    by_kind: dict[str, list] = {}
    hint = None
    for pk, name, kind in rows:
        by_kind.setdefault(kind, []).append((pk, name))
        if suggested and name == suggested:
            hint = pk
    groups: dict[str, list] = {}
    if hint is not None:
        groups[str(_("建议（分类默认牵头单位）"))] = [(hint, suggested)]
    for kind, label in UNIT_GROUPS:
        if by_kind.get(kind):
            groups.setdefault(str(label), []).extend(by_kind[kind])
    return list(groups.items()), (str(hint) if hint is not None else None)


def action_fields(action: str, case, actor) -> list[dict]:
    # choices that need a query are callables, read only for the action asked (a case page asks for several);
    # the dispatch units come grouped below (`unit_groups`), in one query
    table = {
        "triage": [("category_id", _("分类"), "select", category_choices),
                   ("urgency", _("紧急程度"), "select", Urgency.choices), ("layer", _("层级"), "select", Layer.choices)],
        "dispatch": [("lead_unit_id", _("牵头单位"), "select", None), ("co_unit_ids", _("协办单位"), "multi", None),
                     ("time_limit_days", _("时限（工作日，可空）"), "number", None)],
        "accept": [("note", _("备注"), "text", None)],
        "return": [("reason", _("退单理由"), "textarea", None)],
        "request_extension": [("days", _("延期天数（工作日）"), "number", None), ("reason", _("理由"), "textarea", None)],
        "approve_extension": [("note", _("意见"), "text", None)],
        "deny_extension": [("note", _("意见"), "text", None)],
        "add_progress": [("note", _("进展情况"), "textarea", None)],
        "resolve": [("result", _("办理结果"), "textarea", None), ("measures", _("措施"), "textarea", None)],
        "reply": [("channel", _("答复方式"), "select", ReplyChannel.choices), ("content", _("答复内容"), "textarea", None)],
        "answer": [("channel", _("答复方式"), "select", ReplyChannel.choices), ("content", _("答复内容"), "textarea", None)],
        "reply_unreachable": [("note", _("联系情况"), "textarea", None)],
        "rate": [("value", _("评价"), "select", Satisfaction.choices), ("note", _("备注"), "text", None)],
        "reopen": [("reason", _("重办理由"), "textarea", None)],
        "close": [("note", _("备注"), "text", None)],
        "supervise": [("notice", _("督办通知"), "textarea", None)],
        "supervision_reply": [("reply", _("督办回复"), "textarea", None)],
        "escalate": [("reason", _("升级理由"), "textarea", None)],
        "merge": [("into_case_id", _("主工单追踪码"), "text", None), ("note", _("备注"), "text", None)],
        "withdraw": [("reason", _("撤回理由"), "textarea", None)],
    }
    current = _current_values(action, case)
    fields = [{"name": n, "label": label, "kind": kind, "choices": choices() if callable(choices) else choices,
               "values": current.get(n, [])} for n, label, kind, choices in table.get(action, [])]
    if action == "dispatch":
        category = case.category if case.category_id else None  # loaded with the case (selectors.with_related)
        groups, hint = unit_groups(case.district_id, actor, suggested=category.default_lead if category else "")
        for field in fields[:2]:  # lead and co-units: grouped, searchable
            field["groups"] = groups
        if hint and not fields[0]["values"]:
            fields[0]["values"] = [hint]  # no lead yet: the category's default lead unit preselected
    return fields


def _current_values(action: str, case) -> dict[str, list[str]]:
    """What each form field starts on: the case's current value, so a form sent untouched changes nothing but the
    step itself (a triage form that started on the first category silently re-categorised cases)."""
    if action == "triage":
        return {"category_id": [str(case.category_id)] if case.category_id else [], "urgency": [case.urgency],
                "layer": [case.layer]}
    if action == "dispatch":
        co = [str(u) for u in case.co_units.values_list("pk", flat=True)] if case.pk else []
        return {"lead_unit_id": [str(case.lead_unit_id)] if case.lead_unit_id else [], "co_unit_ids": co}
    return {}


# The case page's one prominent action per state: the first of these the user can take (the rest sit in a menu).
S, A = CaseState, Action
PRIMARY = {
    S.REGISTERED: (A.ANSWER, A.TRIAGE), S.TRIAGED: (A.ANSWER, A.DISPATCH), S.RETURNED: (A.DISPATCH,),
    S.DISPATCHED: (A.ACCEPT,), S.REOPENED: (A.ACCEPT, A.DISPATCH),
    S.ACCEPTED: (A.APPROVE_EXTENSION, A.RESOLVE), S.IN_PROGRESS: (A.APPROVE_EXTENSION, A.RESOLVE),
    S.RESOLVED: (A.REPLY,), S.REPLIED: (A.RATE, A.CLOSE), S.RATED: (A.CLOSE,),
}

# Irreversible or consequential steps ask first, naming what follows (htmx `hx-confirm`: no script of ours).
CONFIRM = {
    A.WITHDRAW: _("撤回后工单即终止，不再办理，也不能恢复。确定撤回？"),
    A.RETURN: _("退单后本单位不再牵头，工单退回派单环节；第二次退单将提交会商。确定退单？"),
    A.CLOSE: _("结案后工单不能再办理或重办。确定结案？"),
    A.MERGE: _("合并后本工单不再单独办理，随主工单答复诉求人，不能撤销。确定合并？"),
    A.ANSWER: _("直接答复后工单不再派单，等待诉求人评价后结案。确定直接答复办结？"),
    A.ESCALATE: _("升级后工单交“2+1”会商决定牵头单位，当前办理暂停。确定升级会商？"),
}


def primary_action(state: str, allowed: list[str]) -> str | None:
    return next((a for a in PRIMARY.get(state, ()) if a in allowed), None)
