"""The product's URLs plus a page that fails, for the 500 page's tests."""

from django.urls import path

from contactcenter.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


def fail(request):
    raise RuntimeError("secret internals: password=hunter2")


urlpatterns = [*urlpatterns, path("fail/", fail)]
