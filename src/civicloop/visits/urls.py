from django.urls import path

from . import views

urlpatterns = [
    path("", views.mine, name="mine"),
    path("campaigns/", views.campaign_list, name="campaigns"),  # the list + new-campaign form
    # ----- campaigns, pairing, teams, assignment
    path("campaigns/<int:pk>/", views.campaign_page, name="campaign"),
    path("campaigns/<int:pk>/do/<slug:action>/", views.campaign_act, name="campaign_act"),
    path("campaigns/<int:pk>/topics/", views.topic_add, name="topic_add"),
    path("campaigns/<int:pk>/teams/", views.team_add, name="team_add"),
    path("teams/<int:pk>/", views.team_page, name="team"),
    path("teams/<int:pk>/members/", views.member_add, name="member_add"),
    path("members/<int:pk>/<slug:action>/", views.member_act, name="member_act"),
    path("pairings/", views.pairing_list, name="pairings"),
    path("pairings/<int:pk>/delete/", views.pairing_delete, name="pairing_delete"),
    # ----- visit records, field lists, subjects (records)
    path("teams/<int:pk>/list/", views.field_list, name="field_list"),
    path("subjects/<int:pk>/", views.subject, name="subject"),
    path("subjects/<int:pk>/unpin/", views.subject_unpin, name="subject_unpin"),
    path("problem-row/", views.problem_row, name="problem_row"),
    # ----- offline (the field app and its service worker)
    path("field/", views.field, name="field"),
    path("sw.js", views.service_worker, name="sw"),
    # ----- coverage
    path("campaigns/<int:pk>/coverage/", views.coverage, name="coverage"),
    path("campaigns/<int:pk>/coverage/unvisited.xlsx", views.coverage_unvisited_xlsx, name="coverage_unvisited_xlsx"),
]
