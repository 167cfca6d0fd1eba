"""The report form and the reporter's forms. Every field has a label (a refusal names it in the reader's language);
the photos are read from `request.FILES` by the view and checked by content (civicloop.files), not here."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from civicloop.cases.constants import AppealType, Satisfaction

from .constants import ADDRESS_MAX, DESCRIPTION_MAX, PHONE_MAX
from .selectors import category_groups

PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{5,18}[0-9]$")


class ReportForm(forms.Form):
    district = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)
    appeal_type = forms.ChoiceField(label=_("类型"), choices=AppealType.choices, initial=AppealType.HELP,
                                    widget=forms.RadioSelect)
    category_id = forms.TypedChoiceField(label=_("问题类别"), coerce=int, required=False, empty_value=None)
    street = forms.CharField(label=_("街道/镇"), max_length=40, required=False)
    community = forms.CharField(label=_("居委/村委"), max_length=40, required=False)
    compound = forms.CharField(label=_("小区"), max_length=40, required=False)
    lat = forms.DecimalField(label=_("纬度"), required=False, min_value=-90, max_value=90, decimal_places=6,
                             max_digits=9, widget=forms.HiddenInput)
    lng = forms.DecimalField(label=_("经度"), required=False, min_value=-180, max_value=180, decimal_places=6,
                             max_digits=9, widget=forms.HiddenInput)
    address = forms.CharField(label=_("详细位置"), max_length=ADDRESS_MAX, required=False,
                              help_text=_("如门牌号、路口、楼栋附近"))
    description = forms.CharField(label=_("问题描述"), max_length=DESCRIPTION_MAX,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    phone = forms.CharField(label=_("联系电话（选填）"), max_length=PHONE_MAX, required=False,
                            help_text=_("留下电话便于回访；不留电话即匿名上报，凭查询密码查看和评价。"),
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups = category_groups()
        self.fields["category_id"].choices = [("", _("不确定 / 其他")), *groups]
        self.category_ids = frozenset(pk for _name, children in groups for pk, _label in children)  # as offered
        for field in self.fields.values():
            if isinstance(field.widget, (forms.HiddenInput, forms.RadioSelect)):
                continue
            field.widget.attrs.setdefault("class", "form-select" if isinstance(field.widget, forms.Select)
                                          else "form-control")

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE_RE.match(phone):
            raise ValidationError(_("请填写正确的电话号码。"))
        return phone

    def clean_description(self):
        return self.cleaned_data["description"].strip()

    def place_code(self) -> str:
        data = self.cleaned_data
        return data.get("compound") or data.get("community") or data.get("street") or ""

    def point(self) -> tuple[Decimal | None, Decimal | None]:
        lat, lng = self.cleaned_data.get("lat"), self.cleaned_data.get("lng")
        q = Decimal("0.000001")
        return (lat.quantize(q) if lat is not None else None, lng.quantize(q) if lng is not None else None)


class TrackForm(forms.Form):
    code = forms.CharField(label=_("查询编号"), max_length=20,
                           widget=forms.TextInput(attrs={"class": "form-control", "autocapitalize": "characters"}))


class ProofForm(forms.Form):
    context_name = "proof_form"
    proof = forms.CharField(label=_("查询密码或电话后四位"), max_length=20,
                            widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "off"}))


class RateForm(forms.Form):
    context_name = "rate_form"
    value = forms.ChoiceField(label=_("您对办理结果是否满意？"), choices=Satisfaction.choices, widget=forms.RadioSelect)
