from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from resources.importing import KINDS, import_csv


class Command(BaseCommand):
    help = (
        "Import cases or resources from a CSV file (UTF-8, header row). Every row is validated; "
        "with any rejected row nothing is written unless --skip-invalid is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv_file", type=Path)
        parser.add_argument("--kind", choices=sorted(KINDS), required=True)
        parser.add_argument("--dry-run", action="store_true", help="validate only, write nothing")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the valid rows even if some are rejected",
        )

    def handle(self, *args, csv_file, kind, dry_run, skip_invalid, **options):
        try:
            text = csv_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {csv_file}: {error}") from error
        report = import_csv(text, kind, dry_run=dry_run, skip_invalid=skip_invalid)
        for line in report.lines():
            self.stdout.write(line)
        if report.rejected and not report.written:
            raise CommandError("Nothing was imported; fix the rejected rows and run again.")
