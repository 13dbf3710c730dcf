"""Business rules of the members' area: invitations, membership, personal data."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from wagtail.models import PageViewRestriction
from wagtail.search import index

from core import outbox
from core.site_address import absolute_url, base_url

from . import gdpr
from .access import MEMBERS_GROUP_NAME, members_group
from .models import Invitation, MemberOrganisation, MemberProfile

INVITATION_SALT = "members_area.invitation"


class InvitationError(Exception):
    """The invitation link cannot be used; ``str(error)`` is a message for the visitor."""


def invitation_max_age() -> int:
    return int(settings.MEMBER_INVITATION_DAYS) * 24 * 3600


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


INVITATION_KIND = "members.invitation"  # outbox kinds
PASSWORD_RESET_KIND = "members.password_reset"


def _send(kind: str, subject: str, template: str, context: dict, to: str) -> None:
    """Through the outbox: committed with the caller's transaction, retried while SMTP is down."""
    outbox.queue_email(
        kind,
        to,
        subject=str(subject),
        text=render_to_string(f"members_area/email/{template}.txt", context),
        html=render_to_string(f"members_area/email/{template}.html", context),
    )


def invitation_url(invitation: Invitation) -> str:
    token = signing.TimestampSigner(salt=INVITATION_SALT).sign(str(invitation.pk))
    return absolute_url(reverse("members_area:accept_invitation", args=[token]))


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
        INVITATION_KIND,
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
    _refuse_closed_account(_existing_account(invitation))
    return invitation


def _existing_account(invitation: Invitation):
    return get_user_model().objects.filter(email__iexact=invitation.email).first()


def _refuse_closed_account(user) -> None:
    """An invitation never reopens an account an administrator closed.

    Erased accounts keep no e-mail address, so an inactive account found by address is one an
    administrator deactivated; reopening it is an administrator's decision.
    """
    if user is not None and not user.is_active:
        raise InvitationError(
            _(
                "Der findes allerede en konto med denne e-mail, men den er lukket af en "
                "administrator. Kontakt netværkets sekretariat, hvis den skal åbnes igen."
            )
        )


@transaction.atomic
def accept_invitation(token: str, *, password: str, first_name: str, last_name: str):
    """Create the member's account from a valid invitation (single use)."""
    invitation = invitation_from_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise InvitationError(_("Invitationen er allerede brugt. Log ind med din e-mail."))
    user = _existing_account(invitation)
    _refuse_closed_account(user)
    if user is None:
        user = get_user_model()(username=invitation.email, email=invitation.email)
    user.first_name, user.last_name = first_name, last_name
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


def send_password_reset(email: str) -> None:
    """Queue a password-reset e-mail to each active account with ``email``; else do nothing.

    Runs as a background task (``tasks.send_password_reset_task``): the request only queues
    it, the same work for known and unknown addresses, so the answer time cannot tell which
    addresses have accounts. The link is made when the e-mail is sent (``compose_password_reset``)
    and points at ``BASE_URL``, never at a request's Host header.
    """
    for user in PasswordResetForm().get_users(email):
        outbox.queue_email(PASSWORD_RESET_KIND, user.email, params={"user": user.pk})


@outbox.register_composer(PASSWORD_RESET_KIND)
def compose_password_reset(row) -> EmailMultiAlternatives | None:
    user = get_user_model().objects.filter(pk=row.params["user"], is_active=True).first()
    if user is None or not user.email or not user.has_usable_password():
        return None
    base = urlsplit(base_url())
    context = {
        "email": user.email,
        "domain": base.netloc,
        "site_name": base.netloc,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": base.scheme or "https",
    }
    subject = render_to_string("members_area/email/password_reset_subject.txt", context)
    message = EmailMultiAlternatives(
        "".join(subject.splitlines()),
        render_to_string("members_area/email/password_reset.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
    message.attach_alternative(
        render_to_string("members_area/email/password_reset.html", context), "text/html"
    )
    return message


def with_active_membership(users):
    """Narrow a user queryset to members in good standing right now.

    An active account in the Members group (or a superuser) whose organisation, if it has
    one, is an active member; staff keep their access whatever their organisation. This is
    the rule ``MembershipMiddleware`` enforces, but the middleware only takes a lapsed user
    out of the Members group on their next request: anything that reaches members outside a
    request (e-mails, background tasks) must filter recipients through this function.
    Users an editor put in the Members group without an organisation keep their access.
    """
    today = timezone.localdate()
    organisation = "member_profile__organisation"
    organisation_in_force = Q(**{f"{organisation}__isnull": True}) | (
        Q(**{f"{organisation}__status": MemberOrganisation.Status.ACTIVE})
        & (
            Q(**{f"{organisation}__member_until__isnull": True})
            | Q(**{f"{organisation}__member_until__gte": today})
        )
    )
    User = get_user_model()
    in_members_group = Q(
        pk__in=User.groups.through.objects.filter(group__name=MEMBERS_GROUP_NAME).values("user_id")
    )
    return users.filter(
        Q(is_superuser=True) | in_members_group,
        Q(is_staff=True) | organisation_in_force,
        is_active=True,
    )


def has_active_membership(user) -> bool:
    """Is ``user`` a member in good standing (see ``with_active_membership``)?"""
    if user is None or not user.is_authenticated:
        return False
    return with_active_membership(get_user_model().objects.filter(pk=user.pk)).exists()


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
            "forum_digest": profile.forum_digest,
            "event_news": profile.event_news,
        }
    for handler in gdpr.handlers():
        data[handler.name] = handler.export(user)
    return data


@transaction.atomic
def erase_personal_data(user) -> None:
    """Remove ``user``'s personal data everywhere; their forum posts stay as "former member".

    Besides each app's registered handler (forum, events, newsletters): login records
    (django-axes) under their username or e-mail, invitations to their address that were
    never accepted, and event registrations made with their address without logging in
    (anonymised by the events app like their own; the head counts stay). Users and profiles
    are not in the search index today; should that change, they are taken out of it here.
    """
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from events.models import Registration

    login_names = {name.lower() for name in (user.get_username(), user.email) if name}
    if user.email:
        # Registrations by address alone are this person's too: hand them to the events
        # app's erasure below, which anonymises the user's registrations.
        Registration.objects.filter(
            user__isnull=True, email_normalised=user.email.strip().lower()
        ).update(user=user)
        Invitation.objects.filter(email__iexact=user.email, accepted_at__isnull=True).delete()
        outbox.forget_recipient(user.email)  # e-mails to them, sent or waiting
    for handler in gdpr.handlers():
        handler.erase(user)
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        for name in login_names:
            model.objects.filter(username__iexact=name).delete()
    MemberProfile.objects.filter(user=user).update(job_title="", erased_at=timezone.now())
    profile = MemberProfile.objects.filter(user=user).first()
    if profile is not None:
        profile.interests.clear()
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
    for indexed in (user, profile):
        if indexed is not None and index.class_is_indexed(type(indexed)):
            index.remove_object(indexed)
