"""Admin views of the members' area that replace Wagtail's own.

``SetMembersPrivacyView``: the page privacy dialog offers "public" or "Members group" only.
Wagtail's dialog also offers "any logged-in user" (and any group): on this site the public
holds accounts too (event registrations, newsletter preferences, ended members), so such a
restriction would open members' pages, and their documents would stay unprotected. Routed in
``config/urls.py`` ahead of Wagtail's admin URLs, under the same path.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.pages import PageViewRestrictionForm
from wagtail.admin.views.page_privacy import SetPrivacyView
from wagtail.models import PageViewRestriction

from .access import MEMBERS_GROUP_NAME, members_group


class MembersPrivacyForm(PageViewRestrictionForm):
    """Public, or visible to the Members group only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = (PageViewRestriction.NONE, PageViewRestriction.GROUPS)
        self.fields["restriction_type"].choices = [
            (value, _("Kun medlemmer (gruppen Members)") if value == "groups" else label)
            for value, label in self.fields["restriction_type"].choices
            if value in allowed
        ]
        self.fields.pop("password", None)
        groups = self.fields["groups"]
        groups.queryset = groups.queryset.filter(name=MEMBERS_GROUP_NAME)
        groups.initial = [members_group().pk]
        groups.help_text = _("Medlemsindhold må kun ses af gruppen Members.")

    def clean_groups(self):
        # Whatever was ticked, a restriction is always exactly the Members group.
        if self.cleaned_data.get("restriction_type") == PageViewRestriction.GROUPS:
            return [members_group()]
        return []


class SetMembersPrivacyView(SetPrivacyView):
    form_class = MembersPrivacyForm
