from django.urls import path

from . import views

urlpatterns = [
    path("", views.mine, name="mine"),
    path("campaigns/", views.campaign_list, name="campaigns"),  # campaigns part: the list + new-campaign form
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
]
