from django.core.management.base import BaseCommand

from privacy.retention import FIGURES, apply_retention


class Command(BaseCommand):
    help = (
        "Anonymise or remove what is past its retention period (the periods are edited in the admin). "
        "With --dry-run, say what would be done and change nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count; write nothing.")

    def handle(self, *args, dry_run, **options):
        figures = apply_retention(dry_run=dry_run)
        self.stdout.write("Dry run, nothing changed. Would do:" if dry_run else "Done (recorded in the audit trail):")
        for key, what in FIGURES:
            self.stdout.write(f"  {what}: {figures[key]}")
