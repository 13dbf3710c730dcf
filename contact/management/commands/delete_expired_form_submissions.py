from django.core.management.base import BaseCommand

from contact.retention import delete_expired_submissions


class Command(BaseCommand):
    help = "Delete form submissions older than their form page's retention period."

    def handle(self, *args, **options):
        deleted = delete_expired_submissions()
        self.stdout.write(f"Deleted {deleted} expired form submission(s).")
