from django.urls import path

from . import views

urlpatterns = [
    path("", views.mine, name="mine"),
    path("campaigns/", views.campaigns, name="campaigns"),
    # ----- visit records, field lists, subjects (records)
    path("teams/<int:pk>/list/", views.field_list, name="field_list"),
    path("subjects/<int:pk>/", views.subject, name="subject"),
    path("problem-row/", views.problem_row, name="problem_row"),
]
# ----- offline (the field app and its service worker)
urlpatterns += [
    path("field/", views.field, name="field"),
    path("sw.js", views.service_worker, name="sw"),
]
