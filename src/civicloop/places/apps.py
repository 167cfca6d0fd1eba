from django.utils.translation import gettext_lazy as _

from civicloop.core.registry import CivicAppConfig, Nav


class PlacesConfig(CivicAppConfig):
    name = "civicloop.places"
    label = "places"
    verbose_name = _("地点")
    field_labels = "civicloop.places.field_labels.FIELD_LABELS"  # how validation refusals name the fields
    api_prefix = "places/"
    pages_prefix = "places/"
    navigation = (Nav("places:browse", _("地点")),)
