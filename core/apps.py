from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "Fælles"

    def ready(self):
        from . import checks, csv  # noqa: F401 - checks registers the system checks

        csv.install()  # every admin CSV export neutralises formulas (core/csv.py)
