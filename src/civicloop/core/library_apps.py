"""The libraries' apps under names a Chinese admin reads: the same AppConfigs with a translated `verbose_name`
(listed in `INSTALLED_APPS` instead of the libraries' own). Their behaviour is untouched."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = pgettext_lazy("admin section", "登录锁定")


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = _("后台任务")
