from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("mappings/", views.mappings, name="mappings"),
    path("mappings/<int:pk>/delete/", views.mapping_delete, name="mapping_delete"),
    path("export/", views.export, name="export"),
]
