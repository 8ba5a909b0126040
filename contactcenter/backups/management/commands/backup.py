from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from contactcenter.backups.archive import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the database (pg_dump's custom format on PostgreSQL, SQLite's backup API on "
        "the embedded default) and of the media files into DIR (new or empty), with a manifest of checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", type=Path, help="A new or empty folder.")
        parser.add_argument("--database", default="default", help="The database alias (default: default).")

    def handle(self, *args, directory, database, **options):
        try:
            result = backup_write(directory=directory, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from None
        for name in result.skipped:
            self.stderr.write(f"Left out {name}: removed from the media storage while the backup ran.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {result.directory}: the {result.manifest['database']['vendor']} database "
                f"and {result.media_files} media file(s)."
            )
        )
        self.stdout.write(f"SHA-256 of its manifest.json (keep it apart from the backup): {result.manifest_sha256}")
