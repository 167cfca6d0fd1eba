from django.urls import path

from . import views

urlpatterns = [
    path("", views.browse, name="browse"),
    path("households/<str:code>/", views.household_detail, name="household"),
    path("households/<str:code>/unmask/", views.household_unmask, name="household_unmask"),
    path("enterprises/<str:credit_code>/", views.enterprise_detail, name="enterprise"),
    path("<str:code>/", views.place_detail, name="place"),
]
