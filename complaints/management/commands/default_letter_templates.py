"""The default answer-letter templates (English and Russian, for every branch), drawn with python-docx.

``manage.py default_letter_templates`` adds each language's template unless a template for every branch in
that language exists already; ``--output DIR`` only writes the .docx files there, to edit in Word and upload.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from complaints.defaults import ensure_default_letter_templates
from complaints.letters import default_template_docx


class Command(BaseCommand):
    help = "Add the default answer-letter templates (or write them to a folder with --output)."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="Write the .docx files to this folder instead.")

    def handle(self, *args, output=None, **options):
        if output:
            output.mkdir(parents=True, exist_ok=True)
            for language, _name in settings.LANGUAGES:
                path = output / f"answer-letter-{language}.docx"
                path.write_bytes(default_template_docx(language))
                self.stdout.write(str(path))
            return
        added = ensure_default_letter_templates()
        self.stdout.write(f"{len(added)} letter template(s) added.")
