from importlib import import_module

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from civicloop.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Each app contributes its pages at its own prefix (web owns "/").
for app, prefix in (("places", "places/"), ("orgs", "orgs/"), ("imports", "imports/"), ("cases", "cases/"), ("web", "")):
    try:
        module = import_module(f"civicloop.{app}.urls")
    except ModuleNotFoundError as exc:
        if exc.name != f"civicloop.{app}.urls":
            raise
        continue
    urlpatterns.append(path(prefix, include((module.urlpatterns, app), namespace=app)))

if settings.DEBUG:
    pass
