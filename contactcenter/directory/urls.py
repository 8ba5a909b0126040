from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("customers/", views.customer_list, name="customer-list"),
    path("customers/new/", views.customer_create, name="customer-create"),
    path("customers/<int:pk>/", views.customer_detail, name="customer-detail"),
    path("customers/<int:pk>/edit/", views.customer_update, name="customer-update"),
    path("customers/<int:pk>/merge/", views.customer_merge, name="customer-merge"),
    path("branches/", views.branch_list, name="branch-list"),
    path("branches/<str:code>/", views.branch_detail, name="branch-detail"),
]
