from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from civicloop.core.registry import CivicAppConfig, Nav


class ApiKeysConfig(CivicAppConfig):
    name = "civicloop.apikeys"
    label = "apikeys"
    verbose_name = pgettext_lazy("admin section", "接口密钥")
    pages_prefix = "apikeys/"
    field_labels = "civicloop.apikeys.field_labels.FIELD_LABELS"
    demo_steps = ("civicloop.apikeys.demo.generate_keys",)
    demo_reset_steps = ("civicloop.apikeys.demo.delete_keys",)
    navigation = (Nav("apikeys:list", _("接口密钥"), visible="civicloop.apikeys.permissions.may_manage_keys",
                      more=True),)
