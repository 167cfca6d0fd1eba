"""Template context for every page: the navigation of the staff shell.

The entries come from the apps (`navigation` on each app's AppConfig, see `civicloop.core.registry`); each entry
is shown to the signed-in users its `visible` predicate accepts (all of them when it has none).
"""

from django.urls import NoReverseMatch, reverse

from civicloop.core import registry


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"navigation": []}
    items = []
    for entry in registry.navigation_entries():
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:  # an app whose pages are not mounted
            continue
        if not registry.nav_visible(entry, request.user):
            continue
        items.append({"url": url, "label": entry.label, "more": entry.more,
                      "active": request.path == url or (url != "/" and request.path.startswith(url))})
    return {"navigation": items, "navigation_more": any(item["more"] for item in items)}
