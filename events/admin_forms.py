"""Forms of the events admin: an action on chosen registrations, the editor's e-mail."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import IdMultipleChoiceField

from .models import EventPage, Registration


class RegistrationActionForm(forms.Form):
    """Which action, on which of this event's registrations (ids of another event, or ids no
    row has, make the form invalid: the view answers 400 with the reason)."""

    ATTEND = "attended"
    UNATTEND = "not_attended"
    WAITLIST = "waitlist"
    EMAIL = "email"
    ACTIONS = [
        (ATTEND, _("Markér som mødt")),
        (UNATTEND, _("Fjern markering som mødt")),
        (WAITLIST, _("Flyt til ventelisten")),
        (EMAIL, _("Send e-mail til de valgte")),
    ]

    action = forms.ChoiceField(label=_("Handling"), choices=ACTIONS)
    registrations = IdMultipleChoiceField(
        label=_("Tilmeldinger"),
        queryset=Registration.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={
            "required": _("Vælg mindst én person på listen."),
            "invalid_choice": _(
                "Tilmelding %(value)s findes ikke (længere) på dette arrangement. "
                "Genindlæs listen og prøv igen."
            ),
            "invalid_pk_value": _("“%(pk)s” er ikke et gyldigt tilmeldingsnummer."),
        },
    )

    def __init__(self, *args, event: EventPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registrations"].queryset = Registration.objects.filter(
            event_id=event.source_event.pk
        )


class RegistrationEmailForm(RegistrationActionForm):
    subject = forms.CharField(label=_("Emne"), max_length=200)
    body = forms.CharField(
        label=_("Tekst"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "Sendes som ren tekst. Under teksten tilføjes arrangementets titel, tid og link "
            "og, for aktive tilmeldinger, linket til at afmelde sig."
        ),
    )

    def clean_subject(self):
        subject = self.cleaned_data["subject"]
        if "\n" in subject or "\r" in subject:
            raise forms.ValidationError(_("Emnet skal stå på én linje."))
        return subject
