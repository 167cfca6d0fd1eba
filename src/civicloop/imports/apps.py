from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "civicloop.imports"
    label = "imports"
