from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from .models import Category, PostReport


class CategoryAdmin(ModelAdmin):
    model = Category
    menu_icon = "list-ul"
    list_display = ("name", "slug", "sort_order")
    search_fields = ("name",)


class PostReportAdmin(ModelAdmin):
    model = PostReport
    menu_icon = "warning"
    menu_label = _("Anmeldelser")
    list_display = ("post", "reason", "reporter", "created_at", "resolved")
    list_filter = ("resolved",)
    search_fields = ("reason", "post__body_markdown")
    list_export = ("post", "reason", "created_at", "resolved")
    inspect_view_enabled = True


@modeladmin_register
class ForumAdminGroup(ModelAdminGroup):
    menu_label = _("Forum")
    menu_icon = "comment"
    menu_order = 260
    items = (CategoryAdmin, PostReportAdmin)
