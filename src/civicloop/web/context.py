"""Template context for every page: the navigation of the staff shell."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# The navigation of the staff shell: (url name, label). Apps append their entries here, e.g.
# ("cases:inbox", _("我的待办")). Entries whose url name does not reverse (an app not there yet) are skipped.
NAVIGATION = [
    ("web:home", _("首页")),
    ("places:browse", _("地点")),
    ("cases:inbox", _("我的待办")),
    ("cases:register", _("登记工单")),
]


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"navigation": []}
    items = []
    for name, label in NAVIGATION:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"url": url, "label": label, "active": request.path == url or (url != "/" and request.path.startswith(url))})
    return {"navigation": items}
