from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),  # the halls the viewer reads (a committee: straight to its own)
    path("c/<int:pk>/", views.hall, name="hall"),  # a community's hall (+ a new topic, a convention from paper)
    path("topics/<int:pk>/", views.topic, name="topic"),  # the discussion, meetings, votes (+ their forms)
    path("topics/<int:pk>/do/<slug:action>/", views.topic_act, name="topic_act"),  # post, close, meeting, vote
    path("posts/<int:pk>/hide/", views.post_hide, name="post_hide"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/do/<slug:action>/", views.meeting_act, name="meeting_act"),  # hold, close
    path("votes/<int:pk>/", views.vote, name="vote"),  # tally, ballots, outcomes (+ a grid worker's ballot)
    path("votes/<int:pk>/do/<slug:action>/", views.vote_act, name="vote_act"),  # ballot, close, outcome
    path("votes/<int:pk>/notice/", views.notice, name="notice"),  # the printable public notice of the result
    path("v/<int:pk>/<str:token>/", views.ballot_public, name="ballot"),  # the residents' phone voting page
    path("conventions/<int:pk>/", views.convention, name="convention"),
]
