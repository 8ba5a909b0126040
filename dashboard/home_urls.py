"""The back office's front page is the dashboard: the project's URLconf includes this at ``/``."""

from django.urls import path

from . import views

urlpatterns = [path("", views.home, name="home")]
