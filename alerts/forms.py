from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import IdMultipleChoiceField
from home.models import NewsCategory

from .models import AlertSubscription
from .services import CONSENT_TEXT


class AlertSubscribeForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    scope = forms.ChoiceField(
        label=_("Hvilke nyheder?"),
        choices=[("all", _("Alle nyheder")), ("categories", _("Kun de valgte kategorier"))],
        widget=forms.RadioSelect,
        initial="all",
    )
    categories = IdMultipleChoiceField(
        label=_("Kategorier"),
        queryset=NewsCategory.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    frequency = forms.ChoiceField(
        label=_("Hvor ofte?"),
        choices=AlertSubscription.Frequency.choices,
        widget=forms.RadioSelect,
        initial=AlertSubscription.Frequency.IMMEDIATE,
    )
    consent = forms.BooleanField(label=CONSENT_TEXT)

    def __init__(self, *args, locale=None, **kwargs):
        super().__init__(*args, **kwargs)
        categories = NewsCategory.objects.all()
        if locale is not None:
            categories = categories.filter(locale=locale)
        self.fields["categories"].queryset = categories
        if not categories.exists():
            del self.fields["scope"]
            del self.fields["categories"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == "categories" and not cleaned.get("categories"):
            self.add_error("categories", _("Vælg mindst én kategori."))
        return cleaned
