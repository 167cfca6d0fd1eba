from django.http import HttpResponse
from django.urls import path


def index(request):
    return HttpResponse("sample page")


urlpatterns = [path("", index, name="index")]
