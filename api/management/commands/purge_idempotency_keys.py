from django.core.management.base import BaseCommand

from api.idempotency import purge_expired_keys


class Command(BaseCommand):
    help = "Delete the idempotency keys older than API_IDEMPOTENCY_KEEP_HOURS (Celery beat does it every hour)."

    def handle(self, *args, **options):
        self.stdout.write(f"{purge_expired_keys()} idempotency key(s) deleted.")
