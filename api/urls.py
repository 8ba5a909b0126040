from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"


def public(view_class, **kwargs):
    """An API view: its own authentication (the client's token), never the login page of the staff."""
    return login_not_required(view_class.as_view(**kwargs))


urlpatterns = [
    path(
        "schema/",
        public(SpectacularAPIView, authentication_classes=[], permission_classes=[], throttle_classes=[]),
        name="schema",
    ),
    path(
        "docs/",
        # The split view: Swagger UI's start script is its own answer (?script), since the policy refuses inline ones.
        public(
            SpectacularSwaggerSplitView,
            url_name="api:schema",
            template_name="api/docs.html",
            authentication_classes=[],
            permission_classes=[],
            throttle_classes=[],
        ),
        name="docs",
    ),
    path("callbacks/", public(views.CallbackCreateView), name="callback-create"),
    path("callbacks/<int:number>/", public(views.CallbackDetailView), name="callback-detail"),
    path("complaints/", public(views.ComplaintCreateView), name="complaint-create"),
    path("complaints/<str:register_number>/", public(views.ComplaintDetailView), name="complaint-detail"),
    path("escalations/", public(views.EscalationCreateView), name="escalation-create"),
    path("escalations/<int:number>/", public(views.EscalationDetailView), name="escalation-detail"),
    path("customers/open-cases/", public(views.OpenCasesView), name="open-cases"),
    path("subscriptions/", public(views.SubscriptionListView), name="subscription-list"),
    path("subscriptions/<int:subscription_id>/", public(views.SubscriptionDetailView), name="subscription-detail"),
    re_path(r"", public(views.NotFoundView)),
]
