from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from civicloop.api import api
from civicloop.core import registry
from civicloop.core.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),  # HAProxy's health check (issue 20)
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # what a browser asks for on pages that do not link the icon (the admin's)
    path("favicon.ico", RedirectView.as_view(url=static("civicloop/favicon.svg"), permanent=True)),
]

# Each app's pages at the prefix its AppConfig declares (web owns "/"), namespaced by the app's label.
for prefix, patterns, namespace in registry.page_urls():
    urlpatterns.append(path(prefix, include((patterns, namespace), namespace=namespace)))
