from civicloop.core.registry import CivicAppConfig


class WorkdaysConfig(CivicAppConfig):
    name = "civicloop.workdays"
    label = "workdays"
