from django.utils.translation import pgettext_lazy

from civicloop.core.registry import CivicAppConfig, PeriodicTask


class FilesConfig(CivicAppConfig):
    name = "civicloop.files"
    label = "files"
    demo_reset_steps = ("civicloop.files.demo.delete_attachments",)  # before the users: uploads point at them
    verbose_name = pgettext_lazy("admin section", "附件")
    pages_prefix = "files/"  # files/urls.py: the one view that serves a stored file, after its owner's rule
    # files written for an owner whose write then failed (nothing names them): removed once a day
    periodic_tasks = (PeriodicTask("civicloop.files.tasks.orphans_purge", every=86_400,
                                   env="CIVICLOOP_FILES_PURGE_EVERY"),)
