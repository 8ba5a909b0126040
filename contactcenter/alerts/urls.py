from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("attention/", views.attention, name="attention"),
    path("attention/retry/", views.retry_failed, name="retry-failed"),
]
