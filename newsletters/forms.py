from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import IdMultipleChoiceField

from .models import NewsletterList
from .services import CONSENT_TEXT


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    name = forms.CharField(label=_("Navn (valgfrit)"), max_length=200, required=False)
    lists = IdMultipleChoiceField(
        label=_("Hvad vil du have?"),
        required=False,
        queryset=NewsletterList.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(label=CONSENT_TEXT)


class PreferencesForm(forms.Form):
    lists = IdMultipleChoiceField(
        label=_("Dine nyhedsbreve"),
        required=False,
        queryset=NewsletterList.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Fravælg alle for at afmelde dig helt."),
    )


class SendForm(forms.Form):
    lists = IdMultipleChoiceField(
        label=_("Lister"),
        queryset=NewsletterList.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Ingen valgt = standardlisten."),
    )
    scheduled_at = forms.DateTimeField(
        label=_("Send på tidspunkt (valgfrit)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class ImportSubscribersForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-fil"),
        help_text=_(
            "Kolonnerne email, name og lists (kortnavne adskilt af semikolon), UTF-8. "
            "Kun adresser, hvis samtykke netværket allerede har."
        ),
    )

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("Filen er for stor (højst 5 MB)."))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("Filen skal være gemt som UTF-8.")) from error
        self.cleaned_data["filename"] = upload.name
        return text


class ConfirmImportForm(forms.Form):
    """The previewed file, posted again to import it (validated again, all or nothing)."""

    csv_text = forms.CharField(widget=forms.HiddenInput)
    filename = forms.CharField(widget=forms.HiddenInput, required=False)
