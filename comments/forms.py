"""The comment form, with the two spam traps a person never notices.

- a honeypot field (``website``) hidden from people and from assistive technology: a bot
  that fills every field gives itself away;
- a signed timestamp of when the form was shown: a form sent back sooner than
  ``COMMENT_MIN_FILL_SECONDS`` was filled by a machine. Older than a day, it is re-issued.
Checked in ``is_spam`` and ``clean``; the view answers a honeypot hit as if all went
well, so a bot learns nothing.
"""

from __future__ import annotations

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

TIMESTAMP_SALT = "comments.form-started"
MAX_FORM_AGE = 24 * 3600
MAX_LENGTH = 5000


def form_timestamp() -> str:
    return signing.dumps(time.time(), salt=TIMESTAMP_SALT)


class CommentForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=100)
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("Vises ikke. Vi sender et link, som du skal klikke på for at bekræfte."),
    )
    body = forms.CharField(
        label=_("Kommentar"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Du kan bruge *kursiv*, **fed** og links. Alle kommentarer godkendes."),
    )
    notify_replies = forms.BooleanField(
        label=_("Send mig en e-mail, når nogen svarer på min kommentar"), required=False
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Spam traps (rendered by hand in the template, not with the fields above).
    website = forms.CharField(required=False, label=_("Lad dette felt være tomt"))
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is not None and user.is_authenticated:
            del self.fields["name"]
            del self.fields["email"]
        self.fields["website"].widget.attrs.update(
            {"autocomplete": "off", "tabindex": "-1", "class": "hp-input"}
        )
        if not self.is_bound:
            self.initial["started"] = form_timestamp()

    @property
    def visible_fields_for_people(self):
        names = ("name", "email", "body", "notify_replies")
        return [self[name] for name in names if name in self.fields]

    def is_spam(self) -> bool:
        """The honeypot was filled: a bot. Checked before ``is_valid``."""
        return bool(self.data.get("website"))

    def clean(self):
        cleaned = super().clean()
        try:
            started = float(
                signing.loads(
                    cleaned.get("started") or "", salt=TIMESTAMP_SALT, max_age=MAX_FORM_AGE
                )
            )
        except (signing.BadSignature, TypeError, ValueError):
            self._renew_timestamp()
            self.add_error(None, _("Formularen er for gammel. Tjek teksten og send den igen."))
            return cleaned
        if time.time() - started < settings.COMMENT_MIN_FILL_SECONDS:
            self._renew_timestamp()
            self.add_error(None, _("Det gik vist lidt for hurtigt. Tjek teksten og send den igen."))
        return cleaned

    def _renew_timestamp(self):
        # Shown again with a fresh timestamp; the writer's text is kept.
        self.data = self.data.copy()
        self.data["started"] = form_timestamp()

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Skriv en kommentar."))
        return body
