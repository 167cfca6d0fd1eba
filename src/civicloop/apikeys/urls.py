from django.urls import path

from . import views

urlpatterns = [
    path("", views.key_list, name="list"),  # the list + new-key form (POST answers with the key, once)
    path("<int:pk>/revoke/", views.key_revoke, name="revoke"),
]
