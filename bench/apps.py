from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmarks and their data loaders: installed outside production only (``settings.INSTALLED_APPS``)."""

    name = "bench"
    verbose_name = "Benchmarks"
