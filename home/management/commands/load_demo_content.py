from django.core.management.base import BaseCommand
from django.db import transaction

from home.demo import load_demo_content


class Command(BaseCommand):
    help = "Load the network's demo content in Danish and English. Safe to run repeatedly."

    def handle(self, *args, **options):
        with transaction.atomic():
            report = load_demo_content()
        self.stdout.write(self.style.SUCCESS(f"Demo content ready: {report}"))
