"""Admin components of newsletters (registered in ``wagtail_hooks``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.action_menu import ActionMenuItem

from .models import NewsletterPage

SEND_PERMISSION = "newsletters.send_newsletter"
# Wagtail's Publish is 30 and the workflow items start at 40: Send comes right after Publish.
SEND_MENU_ORDER = 31


class SendMenuItem(ActionMenuItem):
    """ "Send nyhedsbrev" in the page editor's action menu, next to Publish, for editors who may
    send. It leads to the send view (test, lists, now or scheduled)."""

    name = "action-send-newsletter"
    label = _("Send nyhedsbrev")
    icon_name = "mail"

    def is_shown(self, context):
        page = context.get("page")
        return (
            context["view"] == "edit"
            and isinstance(page, NewsletterPage)
            and context["request"].user.has_perm(SEND_PERMISSION)
        )

    def get_url(self, context):
        return reverse("newsletters_send", args=[context["page"].pk])
