from django.urls import path

from . import views

urlpatterns = [
    path("", views.mine, name="mine"),
    path("campaigns/", views.campaigns, name="campaigns"),
]
# ----- offline (the field app and its service worker)
urlpatterns += [
    path("field/", views.field, name="field"),
    path("sw.js", views.service_worker, name="sw"),
]
