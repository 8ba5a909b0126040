from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from contactcenter.directory import views as directory_views

admin.site.site_header = _("Contact centre back office")
admin.site.site_title = _("Back office administration")


@login_not_required
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says, before anyone logs in."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


urlpatterns = [
    path("", include("dashboard.home_urls")),
    path("dashboard/", include("dashboard.urls")),
    path("", include("contactcenter.directory.urls")),
    path("", include("contactcenter.alerts.urls")),
    path("clocks/", include("contactcenter.deadlines.urls")),
    path("callbacks/", include("callbacks.urls")),
    path("complaints/", include("complaints.urls")),
    path("escalations/", include("escalations.urls")),
    path("phrases/", include("phrases.urls")),
    path(
        "accounts/reset/<uidb64>/<token>/",
        directory_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("language/", directory_views.switch_language, name="switch-language"),
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon),
    path("api/v1/", include("api.urls")),
    path("rate/", include("feedback.urls")),
]

handler403 = "contactcenter.error_pages.permission_denied"
handler404 = "contactcenter.error_pages.page_not_found"
handler500 = "contactcenter.error_pages.server_error"
