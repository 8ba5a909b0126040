from django.core.management.base import BaseCommand, CommandError

from contactcenter.directory.models import Customer
from privacy.customers import as_json, customer_export


class Command(BaseCommand):
    help = "Print everything kept about one customer as JSON (a request under 152-FZ art. 14 / GDPR art. 15)."

    def add_arguments(self, parser):
        parser.add_argument("customer", type=int, help="The customer's id (shown in the admin).")

    def handle(self, *args, customer, **options):
        found = Customer.objects.filter(pk=customer).first()
        if found is None:
            raise CommandError(f"No customer has the id {customer}.")
        self.stdout.write(as_json(customer_export(customer=found)))
