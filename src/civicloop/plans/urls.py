from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.plans_page, name="plans"),
    path("<int:pk>/", views.plan_page, name="plan"),
    path("<int:pk>/gantt/", views.gantt_page, name="gantt"),
    path("<int:pk>/tasks/new/", views.task_new_page, name="task_new"),
    path("mine/", views.mine_page, name="mine"),
    path("tasks/<int:pk>/", views.task_page, name="task"),
    path("letters/", views.letters_page, name="letters"),
    path("letters/<int:pk>/", views.letter_page, name="letter"),
    path("letters/<int:pk>/v<int:number>.pdf", views.letter_pdf, name="letter_pdf"),
]
