from django.urls import path

from . import views

urlpatterns = [
    path("disputes/", views.disputes, name="disputes"),
    path("cases/<int:pk>/use/", views.use, name="use"),
]
