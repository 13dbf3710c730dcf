from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from members_area.access import can_view_page

from .admin_views import MissingTranslationsView


@hooks.register("before_serve_page")
def allow_anonymous_page_cache(page, request, serve_args, serve_kwargs):
    """Mark responses of pages the public may open as candidates for the full-page cache."""
    if request.user.is_authenticated:
        return  # responses to logged-in visitors are never stored
    request.page_cache_allowed = can_view_page(page, request.user)


@hooks.register("register_admin_urls")
def register_missing_translations_report_url():
    return [
        path(
            "reports/mangler-oversaettelse/",
            MissingTranslationsView.as_view(),
            name="missing_translations_report",
        ),
        path(
            "reports/mangler-oversaettelse/results/",
            MissingTranslationsView.as_view(results_only=True),
            name="missing_translations_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_missing_translations_menu_item():
    return MenuItem(
        _("Mangler engelsk oversættelse"),
        reverse("missing_translations_report"),
        name="missing-translations",
        icon_name="site",
        order=750,
    )
