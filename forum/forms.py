from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import IdChoiceField

from .models import Category

BODY_HELP = _("Du kan bruge Markdown: **fed**, *kursiv*, [link](https://…), lister og citater.")


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Dit indlæg"),
        max_length=20000,
        help_text=BODY_HELP,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class ThreadForm(PostForm):
    title = forms.CharField(label=_("Overskrift"), max_length=200)
    field_order = ["title", "body"]


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Hvorfor anmelder du indlægget?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MoveForm(forms.Form):
    category = IdChoiceField(label=_("Flyt til kategori"), queryset=Category.objects.all())
