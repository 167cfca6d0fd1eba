from django.utils.translation import pgettext_lazy

from civicloop.core.registry import CivicAppConfig


class FilesConfig(CivicAppConfig):
    name = "civicloop.files"
    label = "files"
    verbose_name = pgettext_lazy("admin section", "附件")
    pages_prefix = "files/"  # files/urls.py: the one view that serves a stored file, after its owner's rule
