"""The site's settings: contact details and footer text, under Settings in the admin."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from core import site_state


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Contact details and footer text, editable under Settings in the admin."""

    organisation_name = models.CharField(
        _("organisation"), max_length=200, default="Netværket for Social Innovation"
    )
    host_institution = models.CharField(
        _("sekretariat"),
        max_length=200,
        blank=True,
        help_text=_("Den institution, der driver netværkets sekretariat."),
    )
    address = models.TextField(_("adresse"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    footer_text = models.TextField(_("tekst i sidefoden"), blank=True)
    default_meta_description = models.CharField(
        _("standardbeskrivelse"),
        max_length=300,
        blank=True,
        help_text=_("Bruges som meta-beskrivelse på sider uden egen beskrivelse."),
    )
    privacy_policy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privatlivspolitik"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Siden linkes fra sidefoden og fra alle formularer, der indsamler personoplysninger "
            "(på besøgendes sprog, hvis siden er oversat)."
        ),
    )

    panels = [
        FieldPanel("organisation_name"),
        FieldPanel("host_institution"),
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("email"), FieldPanel("phone")],
            heading=_("Kontakt"),
        ),
        FieldPanel("footer_text"),
        FieldPanel("default_meta_description"),
        FieldPanel("privacy_policy_page"),
    ]

    class Meta:
        verbose_name = _("sideindstillinger")

    @classmethod
    def for_request(cls, request):
        return site_state.site_setting(request, cls)  # per worker process, see core.site_state
