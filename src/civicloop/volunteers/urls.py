from django.urls import path

from . import views

urlpatterns = [
    path("", views.board, name="board"),  # the volunteer board of the viewer's territory (?place=…)
    path("members/", views.members, name="members"),  # the committee's register (+ a new member)
    path("members/<int:pk>/", views.member, name="member"),  # a member's hours
    path("needs/", views.needs, name="needs"),  # the committee's needs (+ a new need)
    path("needs/<int:pk>/", views.need, name="need"),  # a need's roster: sign up, check in and out
    path("needs/<int:pk>/do/<slug:action>/", views.need_act, name="need_act"),  # close
    path("signups/<int:pk>/do/<slug:action>/", views.signup_act, name="signup_act"),  # check in/out, cancel, correct
    path("recognition/<int:pk>/", views.recognition, name="recognition"),
    path("me/", views.me, name="me"),  # the volunteer's own page (proved by code + phone digits)
    path("me/do/<slug:action>/", views.me_act, name="me_act"),  # sign up, cancel, check in, check out, leave
]
