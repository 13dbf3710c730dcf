from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from .models import IndexOutbox


class ReadOnlyPermissionHelper(PermissionHelper):
    """Rows are written by the search backend and removed by the retry task, not by hand."""

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False


class IndexOutboxAdmin(ModelAdmin):
    """Index writes the search engine refused; they are retried every minute."""

    model = IndexOutbox
    menu_label = _("Søgeindeks-kø")
    menu_icon = "search"
    add_to_settings_menu = True
    inspect_view_enabled = True
    list_display = ("__str__", "action", "attempts", "next_attempt_at", "last_error")
    list_filter = ("action", "content_type")
    search_fields = ("object_id", "last_error")
    list_export = ("content_type", "object_id", "action", "attempts", "created_at", "last_error")
    export_filename = "soegeindeks-koe"

    permission_helper_class = ReadOnlyPermissionHelper


modeladmin_register(IndexOutboxAdmin)
