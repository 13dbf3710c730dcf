"""Two-factor authentication for the Wagtail admin (django-otp, TOTP).

Everyone who may use the admin (``wagtailadmin.access_admin``) must prove a second factor
once per session before any admin page answers: a user without a device is sent to
enrol one (QR code for any authenticator app), a user with one to enter the current
code. The password step stays Wagtail's own login; members without admin access are
not affected. django-otp's ``OTPMiddleware`` provides ``request.user.is_verified()``.
"""

from __future__ import annotations

import base64

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.ratelimits import limit

ADMIN_PREFIX = "/admin/"
# Reachable before the second factor: the password login itself and leaving again.
EXEMPT_PREFIXES = ("/admin/login/", "/admin/logout/", "/admin/password_reset/", "/admin/2fa/")


def needs_second_factor(user) -> bool:
    return (
        user.is_authenticated
        and not user.is_verified()
        and user.has_perm("wagtailadmin.access_admin")
    )


def second_factor_missing(user) -> bool:
    """Has this session still to pass the second factor that this user's role requires?

    True for editors (admin access) who signed in with their password only, while two-factor
    is required: they see neither the admin nor members' pages and documents until then.
    """
    return getattr(settings, "ADMIN_2FA_REQUIRED", True) and needs_second_factor(user)


class AdminTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path_info = request.path_info
        if (
            settings.ADMIN_2FA_REQUIRED
            and path_info.startswith(ADMIN_PREFIX)
            and not path_info.startswith(EXEMPT_PREFIXES)
            and needs_second_factor(request.user)
        ):
            has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
            target = reverse("two_factor:verify" if has_device else "two_factor:setup")
            return redirect(f"{target}?next={request.get_full_path()}")
        return self.get_response(request)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Kode fra din godkendelses-app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ADMIN_PREFIX
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return ADMIN_PREFIX


def _blocked_message(form):
    form.add_error(None, _("For mange forsøg. Vent et øjeblik, og prøv igen."))


class EnrolForm(TokenForm):
    """Enrolment asks for the password again as well as the first code: a session someone
    else took over (an unlocked PC) cannot bind the account to their own phone."""

    password = forms.CharField(
        label=_("Din adgangskode"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["password", "token"]


SETUP_DEVICE_KEY = "two_factor_setup_device"


def _require_admin_access(request) -> None:
    # Only people who may use the admin have anything to enrol or verify for.
    if not request.user.has_perm("wagtailadmin.access_admin"):
        raise PermissionDenied


def _fresh_device(request) -> TOTPDevice:
    """A new, unconfirmed secret for this session only; earlier unconfirmed ones are dropped,
    so a secret shown once (perhaps to someone else) is never shown or accepted again."""
    TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
    device = TOTPDevice.objects.create(
        user=request.user, name=str(_("Godkendelses-app")), confirmed=False
    )
    request.session[SETUP_DEVICE_KEY] = device.pk
    return device


@never_cache
@login_required(login_url="wagtailadmin_login")
@limit("two_factor")
def setup(request):
    """Enrol an authenticator app: a new secret as QR code, confirmed by the password and a
    first code before the device counts."""
    _require_admin_access(request)
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect(f"{reverse('two_factor:verify')}?next={_next_url(request)}")
    device, expired = None, ""
    if request.method == "POST":
        device = TOTPDevice.objects.filter(
            pk=request.session.get(SETUP_DEVICE_KEY), user=request.user, confirmed=False
        ).first()
    if device is None:  # a GET, or a POST whose secret is gone: start with a new one
        form = EnrolForm()
        if request.method == "POST":
            expired = _("Opsætningen er udløbet. Scan den nye QR-kode.")
        device = _fresh_device(request)
    else:
        form = EnrolForm(request.POST)
        if form.is_valid():
            if getattr(request, "limited", False):
                _blocked_message(form)
            elif not request.user.check_password(form.cleaned_data["password"]):
                form.add_error("password", _("Adgangskoden er forkert."))
            elif device.verify_token(form.cleaned_data["token"].strip()):
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                request.session.pop(SETUP_DEVICE_KEY, None)
                otp_login(request, device)
                return redirect(_next_url(request))
            else:
                form.add_error("token", _("Koden er forkert eller udløbet."))
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "otp/setup.html",
        {
            "form": form,
            "qr_svg": qr.svg_inline(scale=5, title=str(_("QR-kode til godkendelses-app"))),
            "secret": base64.b32encode(device.bin_key).decode(),
            "next": _next_url(request),
            "expired": expired,
        },
    )


@never_cache
@login_required(login_url="wagtailadmin_login")
@limit("two_factor")
def verify(request):
    """Second step of every admin login: the current code from the enrolled device."""
    _require_admin_access(request)
    devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
    if not devices:
        return redirect(f"{reverse('two_factor:setup')}?next={_next_url(request)}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if getattr(request, "limited", False):
            _blocked_message(form)
        else:
            token = form.cleaned_data["token"].strip()
            device = next((d for d in devices if d.verify_token(token)), None)
            if device is not None:
                otp_login(request, device)
                return redirect(_next_url(request))
            form.add_error("token", _("Koden er forkert eller udløbet."))
    return render(request, "otp/verify.html", {"form": form, "next": _next_url(request)})


app_name = "two_factor"
urlpatterns = [
    path("setup/", setup, name="setup"),
    path("verify/", verify, name="verify"),
]
