from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.report, name="report"),
    path("reported/", views.reported, name="reported"),
    path("track/", views.track, name="track"),
    path("t/<str:code>/", views.status, name="status"),
    path("t/<str:code>/prove/", views.prove, name="prove"),
    path("t/<str:code>/rate/", views.rate, name="rate"),
    path("places/<str:level>/", views.places, name="places"),
]
