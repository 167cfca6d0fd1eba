from django.urls import path

from . import views

urlpatterns = [
    path("", views.mine, name="mine"),
    path("campaigns/", views.campaigns, name="campaigns"),
    # ----- coverage
    path("campaigns/<int:pk>/coverage/", views.coverage, name="coverage"),
    path("campaigns/<int:pk>/coverage/unvisited.xlsx", views.coverage_unvisited_xlsx, name="coverage_unvisited_xlsx"),
]
