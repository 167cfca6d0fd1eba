"""Personal data in the Django admin: masked in lists and forms; a logged reveal of one object, with a reason.

A ModelAdmin lists its personal fields (`personal_fields`) and mixes in `PersonalDataAdminMixin`:

* list and change views show each as its masked form (`masked_<field>`, read-only); the change form leaves the
  field itself out, so the page never carries the clear value and a POST cannot change it. The add form keeps
  the fields editable (there is nothing to leak yet). Decision: a stored value is not edited in the admin at
  all — corrections go through the import of that kind (an upsert by code, audited), which keeps "who changed
  whose phone" in one place;
* "显示" on the change page opens `<object>/reveal/`: a form asking the reason (`core.constants.UnmaskReason`
  and a text), and on POST the clear values, through the app's own reveal service where it has one (cases,
  households: override `reveal`), else `core.services.personal_data_reveal` with the admin's view permission as
  the rule. Either way the view is logged in UnmaskLog and counts against the hourly limit, like the staff pages.
"""

from __future__ import annotations

from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .errors import CivicError
from .masking import mask_id_number, mask_name, mask_phone
from .services import personal_data_reveal

REVEAL_LINK = "personal_data_reveal_link"


def mask_for(field_name: str):
    """The mask of a field by its name: phones, ID numbers, else a name."""
    if "phone" in field_name:
        return mask_phone
    if "id_number" in field_name:
        return mask_id_number
    return mask_name


class PersonalDataAdminMixin:
    personal_fields: tuple[str, ...] = ()

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        for name in self.personal_fields:
            setattr(self, f"masked_{name}", self._masked_display(name))

    def _masked_display(self, name: str):
        mask = mask_for(name)

        def display(obj):
            return mask(getattr(obj, name)) or "—"

        display.short_description = self.model._meta.get_field(name).verbose_name
        return display

    def _masked(self, names):
        return [f"masked_{n}" if n in self.personal_fields else n for n in names]

    # ----- what the list and the change page show

    def get_list_display(self, request):
        return self._masked(super().get_list_display(request))

    def get_exclude(self, request, obj=None):
        excluded = list(super().get_exclude(request, obj) or ())
        return excluded + list(self.personal_fields) if obj is not None else excluded or None

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is None:
            return readonly
        return readonly + [f"masked_{n}" for n in self.personal_fields] + [REVEAL_LINK]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.fieldsets:
            return fieldsets  # built from get_fields: the masked displays and the link come with the read-only ones
        out = []
        for title, options in fieldsets:
            fields = self._masked(options.get("fields", ()))
            if any(f"masked_{n}" in fields for n in self.personal_fields):
                fields = [*fields, REVEAL_LINK]
            out.append((title, {**options, "fields": fields}))
        return out

    @property
    def _reveal_url_name(self) -> str:
        opts = self.model._meta
        return f"{opts.app_label}_{opts.model_name}_reveal"

    def personal_data_reveal_link(self, obj):
        url = reverse(f"{self.admin_site.name}:{self._reveal_url_name}", args=[quote(obj.pk)])
        return format_html('<a href="{}" class="button">{}</a>', url, _("显示完整信息（需填写理由，会被记录）"))

    personal_data_reveal_link.short_description = _("完整信息")

    # ----- the reveal

    def get_urls(self):
        view = self.admin_site.admin_view(self.reveal_view)
        return [path("<path:object_id>/reveal/", view, name=self._reveal_url_name), *super().get_urls()]

    def reveal(self, request, obj, *, reason_code: str, reason: str) -> dict[str, str]:
        """The clear `personal_fields` of `obj` by field name; logged. Override to go through the app's own
        reveal service (its rule, its object id)."""
        return personal_data_reveal(actor=request.user, obj=obj, fields=self.personal_fields,
                                    allowed=self.has_view_permission(request, obj),
                                    reason_code=reason_code, reason=reason)

    def reveal_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        clear, error = None, None
        reason_code, reason = request.POST.get("reason_code", ""), request.POST.get("reason", "")
        if request.method == "POST":
            try:
                clear = self.reveal(request, obj, reason_code=reason_code, reason=reason)
            except CivicError as exc:
                error = exc
        opts = self.model._meta
        rows = [(opts.get_field(n).verbose_name,
                 (clear[n] or "—") if clear is not None else getattr(self, f"masked_{n}")(obj))
                for n in self.personal_fields]
        context = {
            **self.admin_site.each_context(request),
            "opts": opts, "original": obj, "title": _("完整信息：%(object)s") % {"object": obj},
            "rows": rows, "revealed": clear is not None, "error": error,
            "reason_code": reason_code, "reason": reason,
            "change_url": reverse(f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                                  args=[quote(obj.pk)]),
        }
        return TemplateResponse(request, "core/admin_reveal.html", context, status=error.status if error else 200)
