from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from contactcenter.backups.archive import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup written by `backup` into an empty database and the media storage, after checking "
        "every file against the backup's manifest (a changed or damaged backup is refused)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", type=Path, help="The folder `backup` wrote.")
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *args, directory, database, **options):
        try:
            result = backup_restore(directory=directory, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {result.manifest['created_at']}: {result.tables} tables, "
                f"{result.media_written} media file(s) written ({result.media_present} were there already)."
            )
        )
        self.stdout.write("Run `manage.py migrate` next if this code is newer than the backup.")
