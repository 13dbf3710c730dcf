from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NewsletterList
from .services import CONSENT_TEXT


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    name = forms.CharField(label=_("Navn (valgfrit)"), max_length=200, required=False)
    lists = forms.ModelMultipleChoiceField(
        label=_("Hvad vil du have?"),
        required=False,
        queryset=NewsletterList.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(label=CONSENT_TEXT)


class PreferencesForm(forms.Form):
    lists = forms.ModelMultipleChoiceField(
        label=_("Dine nyhedsbreve"),
        required=False,
        queryset=NewsletterList.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Fravælg alle for at afmelde dig helt."),
    )


class SendForm(forms.Form):
    lists = forms.ModelMultipleChoiceField(
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
