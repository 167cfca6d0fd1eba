from django.urls import path

from . import views

urlpatterns = [
    path("", views.mine, name="mine"),
    path("campaigns/", views.campaigns, name="campaigns"),
]
