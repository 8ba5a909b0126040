from django.urls import path

from . import views

app_name = "phrases"

urlpatterns = [
    path("", views.library, name="library"),
    path("<int:pk>/used/", views.use, name="use"),
]
