from django.urls import path

from . import views

app_name = "files"

urlpatterns = [
    path("<str:key>/", views.serve, name="file"),
]
