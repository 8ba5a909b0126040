from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from api import scopes
from api.services import api_client_create
from contactcenter.directory.models import Branch


class Command(BaseCommand):
    help = "Create an API client and print its secret token, once (only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--branch", action="append", default=[], help="A branch code; repeat for several.")
        parser.add_argument(
            "--scope", action="append", default=[], choices=list(scopes.SCOPES), help="Repeat for several."
        )
        parser.add_argument("--expires", help="ISO moment with offset, e.g. 2027-06-30T00:00:00+03:00.")
        parser.add_argument("--rate", type=int, default=600, help="Requests per minute (default 600).")

    def handle(self, *args, name, branch, scope, expires, rate, **options):
        branches = list(Branch.objects.filter(code__in=[code.upper() for code in branch]))
        missing = sorted({code.upper() for code in branch} - {b.code for b in branches})
        if missing:
            raise CommandError(f"Unknown branch: {', '.join(missing)}")
        if not branches:
            raise CommandError("Give at least one --branch.")
        if not scope:
            raise CommandError("Give at least one --scope.")
        expires_at = None
        if expires:
            expires_at = parse_datetime(expires)
            if expires_at is None or expires_at.tzinfo is None:
                raise CommandError("--expires needs an ISO moment with its offset.")
        if rate < 1:
            raise CommandError("--rate must be at least 1.")
        try:
            client, token = api_client_create(
                name=name, branches=branches, scopes=scope, expires_at=expires_at, requests_per_minute=rate, by=None
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stderr.write(f"API client {client.name} created; its token (shown only now):")
        self.stdout.write(token)
