from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from contactcenter.directory.models import Customer
from privacy.customers import customer_erase


class Command(BaseCommand):
    help = (
        "Erase one customer's personal data on their request (anonymise them, blank their cases' texts, remove "
        "their complaints' photos), unless something obliges keeping it; then say why and change nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("customer", type=int, help="The customer's id (shown in the admin).")

    def handle(self, *args, customer, **options):
        found = Customer.objects.filter(pk=customer).first()
        if found is None:
            raise CommandError(f"No customer has the id {customer}.")
        try:
            customer_erase(customer=found)
        except ValidationError as error:
            raise CommandError("Nothing was erased: " + " ".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Customer {customer}: personal data erased (recorded in the audit trail).")
        )
