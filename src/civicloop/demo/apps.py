from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "civicloop.demo"
    label = "demo"
