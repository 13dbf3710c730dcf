from django.apps import AppConfig


class ForumConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "forum"

    def ready(self):
        from members_area.gdpr import register_personal_data

        from . import services

        register_personal_data(
            "forum", export=services.export_personal_data, erase=services.erase_personal_data
        )
