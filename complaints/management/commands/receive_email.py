"""``manage.py receive_email``: one RFC 5322 message on standard input, for an MTA's pipe transport.

Exit status, as an MTA reads it (sysexits): 0 when the message was dealt with, whether it became a complaint or
was refused (the sender is answered by e-mail) or ignored (logged); 75 (EX_TEMPFAIL) when it could not be read
now (the database is down...), so that the MTA keeps it and tries again; 64 for a wrong command line.
"""

import logging
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from complaints.services.email_intake import complaint_receive_email

EX_TEMPFAIL = 75

logger = logging.getLogger("complaints.services.email_intake")


class Command(BaseCommand):
    stealth_options = ("stdin",)
    help = "Read one e-mail (RFC 5322) on standard input and register it as a draft complaint (MTA pipe)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--sender",
            default="",
            help="The envelope sender (Postfix: ${sender}); when given it must be the From address.",
        )

    def handle(self, *args, sender, **options):
        stream = options.get("stdin") or sys.stdin.buffer
        # One byte more than the limit is enough to know the message is too large (it is refused, not lost);
        # the rest is read and dropped, since an MTA whose pipe is closed early counts a failed delivery.
        raw = stream.read(settings.EMAIL_INTAKE_MAX_BYTES + 1)
        while stream.read(1 << 20):
            pass
        try:
            result = complaint_receive_email(raw=raw, envelope_sender=sender)
        except Exception as error:
            logger.exception("The e-mail could not be read now; the MTA is asked to try again")
            raise CommandError(f"temporary failure, try again later: {error}", returncode=EX_TEMPFAIL) from error
        self.stdout.write(str(result))
