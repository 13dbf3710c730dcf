import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from . import services
from .access import is_member, visible_pages
from .forms import AcceptInvitationForm, ConfirmPasswordForm, InviteColleagueForm, ProfileForm
from .models import MemberProfile, MembersAreaPage


def members_only(view):
    """Members see the view; anonymous visitors log in first; other accounts are refused."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not is_member(request.user):
            return render(request, "members_area/not_a_member.html", status=403)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


class LoginView(auth_views.LoginView):
    template_name = "members_area/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    # Django answers the same for known and unknown addresses and only mails known ones.
    template_name = "members_area/password_reset_form.html"
    email_template_name = "members_area/email/password_reset.txt"
    html_email_template_name = "members_area/email/password_reset.html"
    subject_template_name = "members_area/email/password_reset_subject.txt"
    success_url = reverse_lazy("members_area:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "members_area/password_reset_confirm.html"
    success_url = reverse_lazy("members_area:password_reset_complete")


@ratelimit(key="ip", rate="20/h", method="POST", block=False)
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
    from cases.models import CasePage
    from home.models import NewsPage
    from resources.models import ResourcePage

    def newest(model, limit=5):
        return visible_pages(model.objects.live(), request.user).order_by("-first_published_at")[
            :limit
        ]

    members_root = visible_pages(MembersAreaPage.objects.live(), request.user).first()
    return render(
        request,
        "members_area/dashboard.html",
        {
            "profile": MemberProfile.objects.filter(user=request.user)
            .select_related("organisation")
            .first(),
            "new_cases": newest(CasePage),
            "new_resources": newest(ResourcePage),
            "news": newest(NewsPage, 3),
            "members_root": members_root,
        },
    )


@members_only
def profile(request):
    profile_obj, _created = MemberProfile.objects.get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, instance=profile_obj, user=request.user)
    from newsletters.models import Subscriber
    from newsletters.services import subscribe_member, unsubscribe

    subscriber = Subscriber.objects.filter(email=request.user.email.lower()).first()
    if request.method == "POST" and "newsletter" in request.POST:
        if request.POST["newsletter"] == "on":
            subscribe_member(request.user)
            messages.success(request, _("Du er tilmeldt nyhedsbrevet."))
        elif subscriber:
            unsubscribe(subscriber, "profil")
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
            "newsletter_active": bool(subscriber and subscriber.status == Subscriber.Status.ACTIVE),
        },
    )


@members_only
@ratelimit(key="user", rate="30/h", method="POST", block=False)
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
