from django.utils.translation import gettext_lazy as _

# The navigation of the staff shell; apps to come add their entries here.
NAVIGATION = [
    ("home", _("首页")),
    ("places:browse", _("地点")),
]


def navigation(request):
    return {"navigation": NAVIGATION}
