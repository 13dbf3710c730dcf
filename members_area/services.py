"""Business rules of the members' area: invitations, membership, personal data."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import PageViewRestriction

from . import gdpr
from .access import MEMBERS_GROUP_NAME, members_group
from .models import Invitation, MemberOrganisation, MemberProfile

INVITATION_SALT = "members_area.invitation"


class InvitationError(Exception):
    """The invitation link cannot be used; ``str(error)`` is a message for the visitor."""


def invitation_max_age() -> int:
    return int(getattr(settings, "MEMBER_INVITATION_DAYS", 14)) * 24 * 3600


def restrict_to_members(page) -> PageViewRestriction:
    """Give ``page`` (and so its subtree) a Members-group view restriction, once."""
    restriction = PageViewRestriction.objects.filter(
        page=page, restriction_type=PageViewRestriction.GROUPS
    ).first()
    if restriction is None:
        restriction = PageViewRestriction.objects.create(
            page=page, restriction_type=PageViewRestriction.GROUPS
        )
    restriction.groups.add(members_group())
    return restriction


def _send(subject: str, template: str, context: dict, to: str) -> None:
    text = render_to_string(f"members_area/email/{template}.txt", context)
    html = render_to_string(f"members_area/email/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    message.send()


def invitation_url(invitation: Invitation) -> str:
    token = signing.TimestampSigner(salt=INVITATION_SALT).sign(str(invitation.pk))
    return settings.BASE_URL + reverse("members_area:accept_invitation", args=[token])


def invite_member(
    *,
    email: str,
    organisation: MemberOrganisation,
    invited_by=None,
    first_name: str = "",
    last_name: str = "",
) -> Invitation:
    """Create an invitation and e-mail its signed, expiring link."""
    if not organisation.is_active_member:
        raise InvitationError(_("Organisationen er ikke aktivt medlem."))
    invitation = Invitation.objects.create(
        email=email.strip().lower(),
        organisation=organisation,
        invited_by=invited_by,
        first_name=first_name,
        last_name=last_name,
    )
    send_invitation(invitation)
    return invitation


def send_invitation(invitation: Invitation) -> None:
    _send(
        _("Invitation til Netværket for Social Innovation"),
        "invitation",
        {
            "invitation": invitation,
            "url": invitation_url(invitation),
            "days": invitation_max_age() // (24 * 3600),
        },
        invitation.email,
    )


def invitation_from_token(token: str) -> Invitation:
    signer = signing.TimestampSigner(salt=INVITATION_SALT)
    try:
        pk = signer.unsign(token, max_age=invitation_max_age())
    except signing.SignatureExpired as error:
        raise InvitationError(_("Invitationen er udløbet. Bed om en ny invitation.")) from error
    except signing.BadSignature as error:
        raise InvitationError(_("Linket er ugyldigt. Kopiér hele linket fra e-mailen.")) from error
    invitation = Invitation.objects.select_related("organisation").filter(pk=pk).first()
    if invitation is None:
        raise InvitationError(_("Linket er ugyldigt. Kopiér hele linket fra e-mailen."))
    if invitation.accepted_at:
        raise InvitationError(_("Invitationen er allerede brugt. Log ind med din e-mail."))
    if not invitation.organisation.is_active_member:
        raise InvitationError(_("Organisationen er ikke længere medlem af netværket."))
    return invitation


@transaction.atomic
def accept_invitation(token: str, *, password: str, first_name: str, last_name: str):
    """Create the member's account from a valid invitation (single use)."""
    invitation = invitation_from_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise InvitationError(_("Invitationen er allerede brugt. Log ind med din e-mail."))
    User = get_user_model()
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        user = User(username=invitation.email, email=invitation.email)
    user.first_name, user.last_name = first_name, last_name
    user.is_active = True
    user.set_password(password)
    user.save()
    user.groups.add(members_group())
    MemberProfile.objects.update_or_create(
        user=user, defaults={"organisation": invitation.organisation}
    )
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    return user


def membership_has_lapsed(user) -> bool:
    """Has ``user``'s organisation stopped being an active member?

    Users an editor put in the Members group without an organisation keep their access.
    """
    profile = MemberProfile.objects.filter(user=user).select_related("organisation").first()
    organisation = profile.organisation if profile else None
    return organisation is not None and not organisation.is_active_member


def revoke_membership(user) -> None:
    """Take ``user`` out of the Members group (their organisation is no longer a member)."""
    user.groups.remove(members_group())
    for attribute in ("_is_member_cache", "_group_ids_cache", "_hidden_paths_cache"):
        if hasattr(user, attribute):
            delattr(user, attribute)


def is_in_members_group(user) -> bool:
    return user.groups.filter(name=MEMBERS_GROUP_NAME).exists()


def export_personal_data(user) -> dict:
    profile = MemberProfile.objects.filter(user=user).select_related("organisation").first()
    data = {
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "profile": None,
    }
    if profile:
        data["profile"] = {
            "organisation": str(profile.organisation) if profile.organisation else None,
            "job_title": profile.job_title,
            "interests": [theme.name for theme in profile.interests.all()],
            "forum_notifications": profile.forum_notifications,
            "event_news": profile.event_news,
        }
    for handler in gdpr.handlers():
        data[handler.name] = handler.export(user)
    return data


@transaction.atomic
def erase_personal_data(user) -> None:
    """Remove ``user``'s personal data everywhere; their forum posts stay as "former member"."""
    for handler in gdpr.handlers():
        handler.erase(user)
    MemberProfile.objects.filter(user=user).update(job_title="", erased_at=timezone.now())
    if hasattr(user, "member_profile"):
        user.member_profile.interests.clear()
    Invitation.objects.filter(user=user).update(email="", first_name="", last_name="")
    anonymous_name = f"slettet-{secrets.token_hex(8)}"
    user.username = anonymous_name
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
