from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"
    verbose_name = _("Kommentarer")

    def ready(self):
        from members_area.gdpr import register_personal_data

        from . import emails, services, signals  # noqa: F401 - composers, receivers

        register_personal_data(
            "comments", export=services.export_personal_data, erase=services.erase_personal_data
        )
