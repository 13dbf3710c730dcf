from django.apps import AppConfig


class EventsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "events"

    def ready(self):
        from members_area.gdpr import register_personal_data

        from . import services, signals  # noqa: F401

        register_personal_data(
            "events", export=services.export_personal_data, erase=services.erase_personal_data
        )
