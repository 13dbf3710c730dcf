from django import forms
from django.utils.translation import gettext_lazy as _


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    needs = forms.CharField(
        label=_("Kosthensyn eller behov for tilgængelighed"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Frivilligt. Vi spørger, så vi kan bestille den rette mad og sørge for, at alle kan "
            "deltage (fx adgang for kørestol eller teleslynge). Oplysningerne kan sige noget om "
            "dit helbred, så vi bruger dem kun til dette arrangement og sletter dem, når det er "
            "slut."
        ),
    )
    needs_consent = forms.BooleanField(
        label=_(
            "Jeg giver samtykke til, at netværket bruger mine oplysninger om kost og "
            "tilgængelighed til at tilrettelægge arrangementet."
        ),
        required=False,
        help_text=_("Kun nødvendigt, hvis du skriver noget i feltet ovenfor."),
    )

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("needs") or "").strip() and not cleaned.get("needs_consent"):
            self.add_error(
                "needs_consent",
                _(
                    "Sæt kryds for at give samtykke, eller lad feltet om kost og "
                    "tilgængelighed stå tomt."
                ),
            )
        return cleaned
