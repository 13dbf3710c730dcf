from django.core.management.base import BaseCommand, CommandError
from wagtail.search.backends import get_search_backend

from search.index_health import fix_index_drift, index_drift

SHOWN_IDS = 20


class Command(BaseCommand):
    help = (
        "Compare the search index with the database per model (counts, missing and extra ids). "
        "Exits with status 1 when they differ; --fix indexes what is missing and removes what "
        "is extra."
    )

    def add_arguments(self, parser):
        parser.add_argument("--backend", default="default", help="search backend name")
        parser.add_argument("--fix", action="store_true", help="repair the drift found")

    def handle(self, *args, backend: str, fix: bool, **options):
        search_backend = get_search_backend(backend)
        report = index_drift(search_backend)
        self._print(report)
        drifted = [entry for entry in report if entry.drifted]
        if drifted and fix:
            fix_index_drift(search_backend, drifted)
            report = index_drift(search_backend)
            drifted = [entry for entry in report if entry.drifted]
            if drifted:
                self._print(drifted)
            else:
                self.stdout.write(self.style.SUCCESS("Fixed: database and index agree."))
        if drifted:
            raise CommandError(f"Index drift in {len(drifted)} model(s).", returncode=1)
        if not fix:
            self.stdout.write(self.style.SUCCESS("No drift: database and index agree."))

    def _print(self, report):
        for entry in report:
            line = (
                f"{entry.label:40} db={entry.db_count:<7} index={entry.index_count:<7} "
                f"missing={len(entry.missing):<5} extra={len(entry.extra)}"
            )
            self.stdout.write(self.style.WARNING(line) if entry.drifted else line)
            for name, ids in (("missing", entry.missing), ("extra", entry.extra)):
                if ids:
                    more = f" (+{len(ids) - SHOWN_IDS} more)" if len(ids) > SHOWN_IDS else ""
                    self.stdout.write(f"    {name}: {', '.join(ids[:SHOWN_IDS])}{more}")
