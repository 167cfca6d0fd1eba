from django.urls import path

from . import views

urlpatterns = [
    path("", views.upload, name="upload"),
    path("templates/<slug:kind>.xlsx", views.template_download, name="template"),
]
