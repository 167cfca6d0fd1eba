from django.urls import path

from . import views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("cases/", views.drill_cases, name="cases"),
]

# ----- weekly report
urlpatterns += [
    path("report/", views.weekly_report, name="report"),
]
