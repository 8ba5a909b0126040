from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("panel/", views.panel, name="panel"),
    path("reports/", views.report_index, name="reports"),
    path("reports/promises/", views.report, {"slug": "promises"}, name="promises"),
    path("reports/complaint-ageing/", views.report, {"slug": "ageing"}, name="ageing"),
    path("reports/callbacks/", views.report, {"slug": "callback_figures"}, name="callback_figures"),
    path("reports/escalations/", views.report, {"slug": "escalation_figures"}, name="escalation_figures"),
    path("reports/phrases/", views.report, {"slug": "phrase_figures"}, name="phrase_figures"),
    path("reports/ratings/", views.report, {"slug": "customer_ratings"}, name="customer_ratings"),
]
