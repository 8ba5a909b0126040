from django.core.management.base import BaseCommand

from contactcenter.alerts.outbound import send_outbound_emails
from contactcenter.alerts.services import send_alerts


class Command(BaseCommand):
    help = "Send every recipient's ready alerts as one digest e-mail each, and the ready outbound e-mails."

    def handle(self, *args, **options):
        result = send_alerts()
        self.stdout.write(
            f"digests sent: {result.digests_sent}, alerts sent: {result.alerts_sent}, "
            f"digests failed: {result.digests_failed}"
        )
        emails = send_outbound_emails()
        self.stdout.write(f"e-mails sent: {emails.sent}, e-mails failed: {emails.failed}")
