from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("panel/", views.panel, name="panel"),
    path("reports/promises/", views.promises_report, name="promises"),
]
