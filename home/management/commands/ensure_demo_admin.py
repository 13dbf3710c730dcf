from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Create (or reset) the demo superuser used by the embedded default. Refuses in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("password")

    def handle(self, *args, username, password, **options):
        from django.conf import settings

        if settings.PRODUCTION:
            raise CommandError("Refusing to create a demo admin account in production.")
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.dk"}
        )
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        self.stdout.write(f"Demo admin {'created' if created else 'reset'}: {username}")
