from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.plans_page, name="plans"),
    path("mine/", views.mine_page, name="mine"),
    path("letters/", views.letters_page, name="letters"),
    path("tasks/<int:pk>/", views.task_page, name="task"),
]
