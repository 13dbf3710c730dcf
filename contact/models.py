"""Form pages editors build themselves ("Bliv medlem", "Kontakt"): Wagtail's form builder.

Submissions are stored (Wagtail's ``FormSubmission``), listed and exported under Forms in the
admin (CSV through ``core.csv``'s formula-safe writer), e-mailed to the secretariat and deleted
after the page's retention period. Spam defence and the rules around a submission live in
``services.py``; the page only wires them into Wagtail's request cycle.
"""

from __future__ import annotations

import logging

from django.db import models, transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField, FormMixin
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.fields import RichTextField

from home.models import BasePage

from . import services

logger = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS = 365


class FormField(AbstractFormField):
    page = ParentalKey("FormPage", on_delete=models.CASCADE, related_name="form_fields")


class FormPage(AbstractEmailForm, BasePage):
    """A public form whose fields editors choose; submissions go to the secretariat."""

    intro = RichTextField(_("indledning"), blank=True, features=["bold", "italic", "link"])
    thank_you_text = RichTextField(_("tak-tekst"), blank=True, features=["bold", "italic", "link"])
    submit_label = models.CharField(_("knaptekst"), max_length=60, default="Send")
    retention_days = models.PositiveIntegerField(
        _("opbevaring (dage)"),
        default=DEFAULT_RETENTION_DAYS,
        help_text=_(
            "Indsendelser slettes automatisk så mange dage efter, de er modtaget. Perioden "
            "vises for den, der udfylder formularen."
        ),
    )

    content_panels = BasePage.content_panels + [
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Felter")),
        FieldPanel("submit_label"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("from_address"), FieldPanel("to_address")]),
                FieldPanel("subject"),
            ],
            heading=_("E-mail til sekretariatet"),
        ),
        FieldPanel("retention_days"),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("formularside")
        verbose_name_plural = _("formularsider")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["started_token"] = services.fill_started_token()
        context["honeypot_name"] = services.HONEYPOT_FIELD
        context["started_name"] = services.STARTED_FIELD
        return context

    def serve(self, request, *args, **kwargs):
        if request.method != "POST":
            return super().serve(request, *args, **kwargs)
        form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
        if not form.is_valid():
            return self._render_form(request, form)
        verdict = services.screen_submission(request, self, form.cleaned_data)
        if verdict.is_bot:
            # A bot is told it succeeded, so it learns nothing; nothing is stored or sent.
            return self.render_landing_page(request, None, *args, **kwargs)
        if verdict.error:
            return self._render_form(request, form, verdict.error)
        submission = self.process_form_submission(form)
        return self.render_landing_page(request, submission, *args, **kwargs)

    def _render_form(self, request, form, error: str = ""):
        context = self.get_context(request)
        context["form"] = form
        context["submission_error"] = error
        return TemplateResponse(request, self.get_template(request), context)

    def process_form_submission(self, form):
        """Store the submission and queue its e-mail to the secretariat in one transaction:
        the outbox sends it after COMMIT and retries while the mail server is down."""
        with transaction.atomic():
            submission = FormMixin.process_form_submission(self, form)
            services.notify_secretariat(self, submission, self.render_email(form))
        return submission
