from django.contrib import messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import CreateView

from . import gating
from .models import Invitation, MemberOrganisation, MemberProfile
from .services import InvitationError, send_invitation


class MemberOrganisationAdmin(ModelAdmin):
    model = MemberOrganisation
    menu_icon = "group"
    list_display = (
        "name",
        "kind",
        "region",
        "status",
        "member_since",
        "member_until",
        "contact_email",
    )
    list_filter = ("status", "kind", "region")
    search_fields = ("name", "contact_email", "municipality_code")
    list_export = (
        "name",
        "kind",
        "region",
        "municipality_code",
        "status",
        "member_since",
        "member_until",
        "contact_email",
        "contact_phone",
    )
    export_filename = "medlemsorganisationer"


class CreateInvitationView(CreateView):
    """Saving a new invitation in the admin e-mails it straight away."""

    def form_valid(self, form):
        if not form.cleaned_data["organisation"].is_active_member:
            form.add_error("organisation", _("Organisationen er ikke aktivt medlem."))
            return self.form_invalid(form)
        form.instance.invited_by = self.request.user
        response = super().form_valid(form)
        try:
            send_invitation(self.instance)
        except (InvitationError, OSError) as error:
            messages.error(
                self.request,
                _("Invitationen blev gemt, men e-mailen kunne ikke sendes: %s") % error,
            )
        return response


class InvitationAdmin(ModelAdmin):
    model = Invitation
    menu_icon = "mail"
    create_view_class = CreateInvitationView
    list_display = ("email", "organisation", "created_at", "accepted_at")
    list_filter = ("organisation",)
    search_fields = ("email",)
    list_export = ("email", "first_name", "last_name", "organisation", "created_at", "accepted_at")
    export_filename = "invitationer"
    inspect_view_enabled = True


class MemberProfileAdmin(ModelAdmin):
    model = MemberProfile
    menu_icon = "user"
    menu_label = gettext_lazy("Medlemmer")
    list_display = ("__str__", "organisation", "job_title")
    list_filter = ("organisation",)
    search_fields = ("user__first_name", "user__last_name", "user__email", "job_title")
    list_export = ("__str__", "organisation", "job_title")
    export_filename = "medlemmer"
    inspect_view_enabled = True


@modeladmin_register
class MembersAdminGroup(ModelAdminGroup):
    menu_label = gettext_lazy("Medlemskab")
    menu_icon = "group"
    menu_order = 250
    items = (MemberOrganisationAdmin, MemberProfileAdmin, InvitationAdmin)


# Before Wagtail's own view-restriction checks (order), which would send a signed-in
# non-member to the login page and from there straight back (members_area/gating.py).
@hooks.register("before_serve_page", order=-10)
def members_only_page(page, request, serve_args, serve_kwargs):
    return gating.restricted_page_response(page, request)


@hooks.register("before_serve_document", order=-10)
def members_only_document(document, request):
    return gating.restricted_document_response(document, request)
