from django.urls import path

from . import views

urlpatterns = [
    path("", views.alarms, name="alarms"),
    path("alarms/<int:pk>/<slug:action>/", views.alarm_act, name="alarm_act"),
    path("places/<str:code>/", views.place_vitals, name="place"),
    path("rules/", views.rules, name="rules"),
    path("rules/<int:pk>/", views.rule_edit, name="rule"),
]
