from django.urls import path

from . import views, views_inspections

urlpatterns = [
    path("", views.home, name="home"),
    path("sets/<int:pk>/", views.set_page, name="set"),
    path("sets/<int:pk>/version/", views.set_version, name="set_version"),
    path("sets/<int:pk>/indicators/new/", views.indicator_page, name="indicator_new"),
    path("sets/<int:pk>/xlsx/", views.set_xlsx, name="set_xlsx"),
    path("indicators/<int:pk>/", views.indicator_edit, name="indicator"),
    path("indicators/<int:pk>/delete/", views.indicator_remove, name="indicator_delete"),
    path("runs/<int:pk>/", views.run_page, name="run"),
    path("runs/<int:pk>/compute/", views.run_compute, name="run_compute"),
    path("runs/<int:pk>/publish/", views.run_publish, name="run_publish"),
    path("runs/<int:pk>/entries/", views.entries_page, name="entries"),
    path("runs/<int:pk>/print/", views.run_print, name="run_print"),
    path("runs/<int:pk>/xlsx/", views.run_xlsx, name="run_xlsx"),
    path("runs/<int:pk>/compare/", views.run_compare, name="run_compare"),
    path("runs/<int:pk>/units/<int:unit>/", views.scorecard, name="scorecard"),
    path("scores/<int:pk>/", views.score_page, name="score"),
    path("inspections/", views_inspections.round_list, name="rounds"),
    path("inspections/<int:pk>/", views_inspections.round_page, name="round"),
    path("inspections/<int:pk>/close/", views_inspections.round_close, name="round_close"),
    path("findings/<int:pk>/", views_inspections.finding_page, name="finding"),
]
