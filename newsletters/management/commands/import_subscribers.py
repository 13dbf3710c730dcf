from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsletters.importing import import_subscribers


class Command(BaseCommand):
    help = (
        "Import newsletter subscribers from CSV (email,name,lists). "
        "All rows valid or nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv_file", type=Path)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, csv_file, dry_run, **options):
        try:
            text = csv_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {csv_file}: {error}") from error
        imported, errors = import_subscribers(
            text, source=f"import:{csv_file.name}", dry_run=dry_run
        )
        for error in errors:
            self.stdout.write(error)
        if errors:
            raise CommandError("Nothing was imported; fix the rows above and run again.")
        self.stdout.write(f"{'Valid' if dry_run else 'Imported'}: {imported}")
