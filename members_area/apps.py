from django.apps import AppConfig


class MembersAreaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "members_area"

    def ready(self):
        from . import signals  # noqa: F401
