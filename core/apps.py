from django.apps import AppConfig
from django.urls import register_converter


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = "Fælles"

    def ready(self):
        from . import bad_input, checks, csv  # noqa: F401 - checks registers the system checks

        csv.install()  # every admin CSV export neutralises formulas (core/csv.py)
        register_converter(bad_input.ObjectIdConverter, "id")  # <id:pk> in URLs
