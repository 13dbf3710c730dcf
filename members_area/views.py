import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.views.account import PasswordResetView as WagtailPasswordResetView
from wagtail.models import Locale

from config.background import enqueue_after_commit
from core.ratelimits import is_limited, limit
from core.translations import one_per_translation
from newsletters import services as newsletter_services

from . import services
from .access import visible_pages
from .decorators import members_only
from .forms import AcceptInvitationForm, ConfirmPasswordForm, InviteColleagueForm, ProfileForm
from .models import MemberProfile, MembersAreaPage
from .tasks import send_password_reset_task


class RateLimitedPostMixin:
    """Answer a POST over the limit with the empty form, a clear message and status 429."""

    rate_limit_message = ""

    def is_rate_limited(self) -> bool:
        return getattr(self.request, "limited", False)

    def post(self, request, *args, **kwargs):
        if self.is_rate_limited():
            context = self.get_context_data(
                form=self.get_unbound_form(), rate_limit_message=self.rate_limit_message
            )
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)


class LoginView(RateLimitedPostMixin, auth_views.LoginView):
    """Log in; an address with too many failed logins waits, whichever usernames it tried."""

    template_name = "members_area/login.html"
    redirect_authenticated_user = True
    rate_limit_message = gettext_lazy(
        "For mange loginforsøg fra din adresse. Vent 10 minutter, og prøv igen."
    )

    # The "login" policy counts failed logins only, on top of django-axes (which locks out one
    # username from one address): it stops one address from trying many usernames.
    def is_rate_limited(self) -> bool:
        return is_limited(self.request, "login", increment=False)

    def form_invalid(self, form):
        is_limited(self.request, "login")
        return super().form_invalid(form)

    def get_unbound_form(self):
        # Unbound: validating would authenticate, which the limit is there to prevent.
        return self.get_form_class()(
            self.request, initial={"username": self.request.POST.get("username", "")}
        )


@method_decorator(limit("password_reset"), name="post")
class PasswordResetView(RateLimitedPostMixin, auth_views.PasswordResetView):
    """Answers the same, in the same time, for known and unknown addresses.

    The request only queues the e-mail job; looking up the address and sending happen in
    the background (``services.send_password_reset``).
    """

    template_name = "members_area/password_reset_form.html"
    success_url = reverse_lazy("members_area:password_reset_done")
    rate_limit_message = gettext_lazy(
        "For mange anmodninger om ny adgangskode fra din adresse. Vent en time, og prøv igen."
    )

    def get_unbound_form(self):
        return self.get_form_class()()

    def form_valid(self, form):
        request_password_reset(self.request, form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


def request_password_reset(request, email: str) -> None:
    """Queue the reset job unless this address has had its share of e-mails (the answer is the
    same either way). Used by the members' form and the Wagtail admin's."""
    if not is_limited(request, "mail_to_address", address=email):
        enqueue_after_commit(send_password_reset_task, email)


@method_decorator(limit("password_reset"), name="post")
class AdminPasswordResetView(RateLimitedPostMixin, WagtailPasswordResetView):
    """The Wagtail admin's "forgot password": the same limits (per IP and per address, one
    budget with the members' form) and the same background job as the members' reset."""

    rate_limit_message = PasswordResetView.rate_limit_message

    def get_unbound_form(self):
        return self.get_form_class()()

    def form_valid(self, form):
        request_password_reset(self.request, form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "members_area/password_reset_confirm.html"
    success_url = reverse_lazy("members_area:password_reset_complete")


@limit("invitation_accept")
def accept_invitation(request, token):
    try:
        invitation = services.invitation_from_token(token)
    except services.InvitationError as error:
        return render(
            request, "members_area/invitation_invalid.html", {"error": str(error)}, status=400
        )
    form = AcceptInvitationForm(
        request.POST or None,
        initial={"first_name": invitation.first_name, "last_name": invitation.last_name},
    )
    if request.method == "POST" and getattr(request, "limited", False):
        form.add_error(None, _("For mange forsøg. Vent lidt, og prøv igen."))
    elif request.method == "POST" and form.is_valid():
        try:
            user = services.accept_invitation(
                token,
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except services.InvitationError as error:
            return render(
                request, "members_area/invitation_invalid.html", {"error": str(error)}, status=400
            )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Velkommen! Din konto er oprettet."))
        return redirect("members_area:dashboard")
    return render(
        request, "members_area/invitation_accept.html", {"form": form, "invitation": invitation}
    )


@members_only
def dashboard(request):
    """The member's start page: forum activity, coming events, new cases, resources and news.

    Each section is one bounded query (plus what the shared page-visibility helper reads
    once per request), however much content there is.
    """
    from cases.models import CasePage
    from events.services import upcoming_events
    from forum.services import latest_activity
    from home.models import NewsPage
    from resources.models import ResourcePage

    def newest(model, limit=5):
        pages = one_per_translation(visible_pages(model.objects.live(), request.user))
        return pages.order_by("-first_published_at")[:limit]

    members_root = visible_pages(MembersAreaPage.objects.live(), request.user).first()
    return render(
        request,
        "members_area/dashboard.html",
        {
            "profile": MemberProfile.objects.filter(user=request.user)
            .select_related("organisation")
            .first(),
            "forum_activity": latest_activity(request.user),
            "upcoming_events": upcoming_events(request.user, Locale.get_active(), limit=5),
            "new_cases": newest(CasePage),
            "new_resources": newest(ResourcePage),
            "news": newest(NewsPage, 3),
            "members_root": members_root,
        },
    )


@members_only
def profile(request):
    profile_obj, _created = MemberProfile.objects.select_related("organisation").get_or_create(
        user=request.user
    )
    form = ProfileForm(request.POST or None, instance=profile_obj, user=request.user)
    if request.method == "POST" and "newsletter" in request.POST:
        try:
            subscribed = newsletter_services.set_member_subscription(
                request.user, request.POST["newsletter"] == "on"
            )
        except newsletter_services.SubscriptionError as error:
            messages.error(request, str(error))
        else:
            if subscribed:
                messages.success(request, _("Du er tilmeldt nyhedsbrevet."))
            else:
                messages.success(request, _("Du er afmeldt nyhedsbrevet."))
        return redirect("members_area:profile")
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Din profil er gemt."))
        return redirect("members_area:profile")
    return render(
        request,
        "members_area/profile.html",
        {
            "form": form,
            "profile": profile_obj,
            "newsletter_active": newsletter_services.member_is_subscribed(request.user),
        },
    )


@members_only
@limit("invite_colleague")
def invite_colleague(request):
    profile_obj = (
        MemberProfile.objects.filter(user=request.user).select_related("organisation").first()
    )
    organisation = profile_obj.organisation if profile_obj else None
    if organisation is None or organisation.contact_person_id != request.user.pk:
        return HttpResponseForbidden(_("Kun organisationens kontaktperson kan invitere kolleger."))
    form = InviteColleagueForm(request.POST or None)
    if request.method == "POST" and getattr(request, "limited", False):
        form.add_error(None, _("For mange invitationer på kort tid. Prøv igen senere."))
    elif (
        request.method == "POST"
        and form.is_valid()
        and is_limited(request, "mail_to_address", address=form.cleaned_data["email"])
    ):
        form.add_error(
            "email", _("Adressen har fået mange e-mails fra os for nylig. Prøv igen senere.")
        )
    elif request.method == "POST" and form.is_valid():
        services.invite_member(
            organisation=organisation, invited_by=request.user, **form.cleaned_data
        )
        messages.success(request, _("Invitationen er sendt til %(email)s.") % form.cleaned_data)
        return redirect("members_area:invite")
    return render(request, "members_area/invite.html", {"form": form, "organisation": organisation})


@login_required
def export_data(request):
    data = services.export_personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mine-data-{stamp}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def erase_account(request):
    form = ConfirmPasswordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.erase_personal_data(user)
        messages.success(request, _("Dine personoplysninger er slettet, og din konto er lukket."))
        return redirect("/")
    return render(request, "members_area/erase_account.html", {"form": form})


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("Du er logget ud."))
    return redirect(reverse("members_area:login"))
