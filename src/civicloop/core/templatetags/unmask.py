"""`{% unmask_reason_fields %}`: the reason select and text inside every reveal form (pages and admin)."""

from django import template

from civicloop.core.constants import UnmaskReason

register = template.Library()


@register.inclusion_tag("core/_unmask_reason.html")
def unmask_reason_fields(selected: str = "", text: str = ""):
    return {"choices": UnmaskReason.choices, "selected": selected, "text": text, "other": UnmaskReason.OTHER}
