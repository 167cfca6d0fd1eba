from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "civicloop.web"
    label = "web"
