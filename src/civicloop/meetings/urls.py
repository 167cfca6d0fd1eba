from django.urls import path

from . import views

urlpatterns = [
    path("", views.meeting_list, name="list"),  # the list + a new meeting
    path("<int:pk>/", views.meeting_page, name="meeting"),  # the pack (printable)
    path("<int:pk>/do/<slug:action>/", views.meeting_act, name="act"),  # build again, hold, close
    path("<int:pk>/items/", views.item_add, name="item_add"),
    path("<int:pk>/decisions/", views.decisions, name="decisions"),  # what came of each decision
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("items/<int:pk>/minutes/", views.item_minutes, name="minutes"),
]
