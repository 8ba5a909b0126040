from django.core.management.base import BaseCommand

from contactcenter.deadlines.scan import scan_deadlines


class Command(BaseCommand):
    help = "Flag the clocks that became due soon, overdue or overdue for long, and queue their alerts."

    def handle(self, *args, **options):
        result = scan_deadlines()
        self.stdout.write(
            f"due soon: {result.due_soon}, overdue: {result.overdue}, "
            f"overdue for long: {result.long_overdue}, reminders: {result.reminders}"
        )
