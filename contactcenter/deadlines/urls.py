from django.urls import path

from . import views

app_name = "deadlines"

urlpatterns = [
    path("new-dates/<int:pk>/told/", views.customer_told, name="customer-told"),
]
