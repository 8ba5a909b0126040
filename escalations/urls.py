from django.urls import path

from . import views

app_name = "escalations"

urlpatterns = [
    path("", views.escalation_list, name="list"),
    path("new/", views.escalation_create, name="create"),
    path("figures/", views.quality_figures, name="figures"),
    path("<int:pk>/", views.escalation_detail, name="detail"),
    path("<int:pk>/acknowledge/", views.escalation_acknowledge, name="acknowledge"),
    path("<int:pk>/contact/", views.escalation_contact, name="contact"),
    path("<int:pk>/close/", views.escalation_close, name="close"),
    path("<int:pk>/transfer/", views.transfer_create, name="transfer"),
]
