from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "civicloop.workdays"
    label = "workdays"
