"""Admin views of the home app: the report of pages that lack an English translation."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import ContentTypeFilter, WagtailFilterSet
from wagtail.admin.views.reports import PageReportView
from wagtail.models import Locale, Page, get_page_content_types


class MissingTranslationsFilterSet(WagtailFilterSet):
    content_type = ContentTypeFilter(
        label=_("Sidetype"),
        queryset=lambda request: get_page_content_types(include_base_page_type=False),
    )

    class Meta:
        model = Page
        fields = ["live", "content_type"]


class MissingTranslationsView(PageReportView):
    """Danish pages with no English translation (live or draft): the editors' to-do list.

    Listings fall back to the Danish page meanwhile, so English visitors still find them.
    """

    page_title = _("Mangler engelsk oversættelse")
    header_icon = "site"
    filterset_class = MissingTranslationsFilterSet
    index_url_name = "missing_translations_report"
    index_results_url_name = "missing_translations_report_results"
    any_permission_required = ["add", "change", "publish"]
    target_language = "en"

    def get_filename(self):
        return "mangler-engelsk-oversaettelse"

    def get_queryset(self):
        source = Locale.objects.filter(language_code="da").first()
        target = Locale.objects.filter(language_code=self.target_language).first()
        pages = self.permission_policy.instances_user_has_permission_for(
            self.request.user, "change"
        ).filter(depth__gt=1, alias_of__isnull=True)
        if source is None or target is None:
            pages = pages.none()
        else:
            translated = Page.objects.filter(locale=target, alias_of__isnull=True).values(
                "translation_key"
            )
            pages = pages.filter(locale=source).exclude(translation_key__in=translated)
        self.queryset = pages.select_related("content_type", "locale").order_by("path")
        return super().get_queryset()
