"""The back office's front page is the dashboard, and the header's search reads every case app from it: the
project's URLconf includes this at ``/``."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
]
