from django.urls import path

from . import views

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("register/", views.register, name="register"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_page, name="meeting"),
    path("meetings/<int:pk>/agenda/", views.meeting_agenda, name="meeting_agenda"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("agenda/<int:pk>/decide/", views.agenda_decide, name="agenda_decide"),
    path("<int:pk>/reporter/", views.reporter_unmask, name="reporter_unmask"),
    path("<int:pk>/merge-preview/", views.merge_preview, name="merge_preview"),
    path("<int:pk>/act/<str:action>/", views.case_act, name="act"),
    path("<str:key>/", views.case_page, name="case"),
]
