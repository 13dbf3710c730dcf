"""Business rules of comments: who may read and write, spam defences, confirmation, moderation.

Every comment is moderated. A visitor without an account confirms their address first (a signed
link in an e-mail, valid ``COMMENT_CONFIRM_HOURS``); only then does the comment enter the
moderators' queue. Members and other account holders go straight to the queue.

Comments on members-only material are read and written only by those who may read the page
(``members_area.access``); they never appear in feeds, search (comments are not indexed), or
e-mails to anyone else, and pages showing them are never stored in the anonymous page cache
(that cache keeps only pages the public may open).
"""

from __future__ import annotations

import datetime
import hashlib
import re

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import outbox, page_cache, signed_links, site_state
from members_area.access import can_view_full_content

from .markup import count_links, render_comment
from .models import Comment, CommentSettings, CommentsMixin

CONFIRMATION_KIND = "comments.confirmation"  # outbox kinds (composers in emails.py)
REPLY_KIND = "comments.reply"
CONFIRM_SALT = "comments.confirm"
STOP_REPLIES_SALT = "comments.stop-replies"
FORMER_PARTICIPANT = gettext_lazy("Tidligere deltager")
LINK_EXPIRED = gettext_lazy("Linket er udløbet. Skriv gerne kommentaren igen.")


class CommentError(Exception):
    """The comment cannot be taken; ``str(error)`` is a message for the writer."""


# --- Who may read and write -------------------------------------------------------------------


def can_read_comments(page, user) -> bool:
    """Comments are part of the page's full content: members-only pages' comments for members."""
    return isinstance(page, CommentsMixin) and can_view_full_content(page, user)


def comments_open(page, site) -> bool:
    """May new comments be written on ``page`` (its type is switched on, and the page too)?"""
    if not isinstance(page, CommentsMixin) or not page.allow_comments:
        return False
    switches = site_state.remember(
        f"comment-settings:{site.pk}", lambda: CommentSettings.for_site(site)
    )
    return bool(getattr(switches, page.comments_setting))


def approved_thread(page) -> list[Comment]:
    """The approved comments of ``page`` (every locale's copy), replies under their parents.

    Remembered until the next purge (every moderation purges): the same for everyone who may
    read the page, which the caller has checked. One query on a miss, however many comments
    and replies there are: replies are grouped in Python.
    """
    return site_state.remember(f"comments:{page.translation_key}", lambda: _thread(page))


def _thread(page) -> list[Comment]:
    comments = list(Comment.objects.for_page(page).approved())
    replies: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.parent_id:
            replies.setdefault(comment.parent_id, []).append(comment)
    top_level = [comment for comment in comments if comment.parent_id is None]
    for comment in top_level:
        comment.approved_replies = replies.get(comment.pk, [])
    return top_level


def approved_counts(pages) -> dict:
    """``{translation_key: number of approved comments}`` for a list of pages: one query,
    remembered until the next purge. Only pages the viewer may see are passed in."""
    keys = sorted(str(page.translation_key) for page in pages)
    if not keys:
        return {}
    digest = hashlib.sha256("|".join(keys).encode()).hexdigest()
    return site_state.remember(f"comment-counts:{digest}", lambda: _counts(keys))


def _counts(keys) -> dict:
    rows = (
        Comment.objects.approved()
        .filter(page_key__in=keys)
        .values("page_key")
        .annotate(n=Count("pk"))
        .values_list("page_key", "n")
    )
    return dict(rows)


# --- Writing ----------------------------------------------------------------------------------


def fingerprint(text: str) -> str:
    normalised = re.sub(r"\s+", " ", (text or "").strip().lower())
    return hashlib.sha256(normalised.encode()).hexdigest()


def reply_parent(page, parent_id) -> Comment | None:
    """The comment a reply answers; replies are one level deep, so a reply's reply goes under
    the same top-level comment. ``None`` for an unknown or unapproved comment."""
    if not parent_id:
        return None
    parent = (
        Comment.objects.for_page(page).approved().filter(pk=parent_id).select_related("parent")
    ).first()
    if parent is not None and parent.parent is not None:
        parent = parent.parent
    return parent


def post_comment(
    *,
    page,
    user,
    body: str,
    name: str = "",
    email: str = "",
    parent: Comment | None = None,
    notify_replies: bool = False,
    ip_address: str | None = None,
) -> Comment:
    """Take a comment on ``page``; raises ``CommentError`` with a message for the writer.

    Account holders write under their account's name and address and go to the moderation
    queue at once; others get a confirmation e-mail first. Spam defences here: too many links,
    the same text twice from the same writer on the same page (refused, nothing stored twice),
    and the same text already posted on another page in the last day (kept as spam for the
    moderators, never mailed).
    """
    user = user if user is not None and user.is_authenticated else None
    if user is not None:
        name = user.get_full_name() or user.username
        email = user.email
    body = (body or "").strip()
    if count_links(body) > settings.COMMENT_MAX_LINKS:
        raise CommentError(
            _("Din kommentar har for mange links (højst %(count)d).")
            % {"count": settings.COMMENT_MAX_LINKS}
        )
    digest = fingerprint(body)
    same_writer = Q(user=user) if user is not None else Q(email__iexact=email, user=None)
    earlier = Comment.objects.for_page(page).filter(fingerprint=digest).filter(same_writer)
    if earlier.exclude(status=Comment.Status.REJECTED).exists():
        raise CommentError(_("Du har allerede skrevet den kommentar her."))
    cross_posted = (
        Comment.objects.filter(
            fingerprint=digest, created_at__gte=timezone.now() - datetime.timedelta(days=1)
        )
        .exclude(page_key=page.translation_key)
        .exists()
    )
    if cross_posted:
        status = Comment.Status.SPAM
    elif user is not None:
        status = Comment.Status.PENDING
    else:
        status = Comment.Status.UNCONFIRMED
    with transaction.atomic():
        comment = Comment.objects.create(
            page_key=page.translation_key,
            page=page,
            parent=parent,
            user=user,
            name=name.strip()[:100],
            email=email.strip().lower(),
            body=body,
            body_html=render_comment(body),
            status=status,
            notify_replies=bool(notify_replies and email),
            fingerprint=digest,
            ip_address=ip_address or None,
            confirmed_at=timezone.now() if user is not None else None,
        )
        if status == Comment.Status.UNCONFIRMED:
            # The double opt-in link, in the outbox with the comment (sent after COMMIT).
            outbox.queue_email(CONFIRMATION_KIND, comment.email, params={"comment": comment.pk})
    return comment


def confirm_max_age() -> int:
    return settings.COMMENT_CONFIRM_HOURS * 3600


def confirmation_token(comment: Comment) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(str(comment.key))


def _comment_from(token: str, salt: str, max_age: int | None) -> Comment:
    key = signed_links.read(
        token, salt=salt, max_age=max_age, error=CommentError, expired=LINK_EXPIRED
    )
    comment = Comment.objects.filter(key=key).select_related("page").first()
    if comment is None:
        raise CommentError(_("Kommentaren findes ikke længere."))
    return comment


def comment_for_confirmation(token: str) -> Comment:
    return _comment_from(token, CONFIRM_SALT, confirm_max_age())


def confirm_comment(token: str) -> Comment:
    """The writer clicked the e-mailed link: the comment enters the moderation queue.

    Clicking again changes nothing (a moderated comment keeps its decision).
    """
    comment = comment_for_confirmation(token)
    updated = Comment.objects.filter(pk=comment.pk, status=Comment.Status.UNCONFIRMED).update(
        status=Comment.Status.PENDING, confirmed_at=timezone.now()
    )
    if updated:
        comment.refresh_from_db()
    return comment


# --- Moderation -------------------------------------------------------------------------------

MODERATION_ACTIONS = {
    "approve": Comment.Status.APPROVED,
    "reject": Comment.Status.REJECTED,
    "spam": Comment.Status.SPAM,
}


def queue_counts() -> dict[str, int]:
    counts = dict(Comment.objects.values_list("status").annotate(n=Count("pk")))
    return {status: counts.get(status, 0) for status in Comment.Status.values}


def pending_count() -> int:
    return Comment.objects.filter(status=Comment.Status.PENDING).count()


@transaction.atomic
def moderate(comment: Comment, action: str, moderator) -> Comment:
    """Approve, reject or mark as spam. Raises ``KeyError`` for an unknown action.

    Approving or withdrawing a visible comment changes the page and the listings' counts, so
    the page cache is purged. An approved reply e-mails the parent's author once, if they asked
    for it and may still read the page.
    """
    status = MODERATION_ACTIONS[action]
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    was_visible = comment.status == Comment.Status.APPROVED
    comment.status = status
    comment.moderated_at = timezone.now()
    comment.moderated_by = moderator
    comment.save(update_fields=["status", "moderated_at", "moderated_by"])
    if was_visible or status == Comment.Status.APPROVED:
        page_cache.purge()
        transaction.on_commit(page_cache.purge)
    if status == Comment.Status.APPROVED and comment.parent_id:
        recipient = reply_recipient(comment)
        if recipient is not None:
            # Once per reply, however often it is approved again (the dedupe key).
            outbox.queue_email(
                REPLY_KIND,
                recipient[0],
                params={"reply": comment.pk},
                dedupe_key=f"{REPLY_KIND}:{comment.pk}",
            )
    return comment


def reply_recipient(reply: Comment) -> tuple[str, Comment] | None:
    """Whom to tell about an approved ``reply``: the parent's author, if they asked to be told,
    have an address, are not the replier, and may still read the page (members-only pages
    never mail anyone who is not a member)."""
    parent = reply.parent
    if parent is None or not parent.notify_replies or parent.status != Comment.Status.APPROVED:
        return None
    address = (parent.user.email if parent.user else parent.email) or ""
    if not address or address.lower() == (reply.email or "").lower():
        return None
    page = reply.page.specific if reply.page else None
    if page is None or not can_read_comments(page, parent.user or AnonymousUser()):
        return None
    return address, parent


def stop_replies_token(comment: Comment) -> str:
    return signing.Signer(salt=STOP_REPLIES_SALT).sign(str(comment.key))


def stop_reply_notifications(token: str) -> Comment:
    comment = _comment_from(token, STOP_REPLIES_SALT, max_age=None)
    Comment.objects.filter(pk=comment.pk).update(notify_replies=False)
    return comment


def delete_unconfirmed(now: datetime.datetime | None = None) -> int:
    """Public comments whose writer never clicked the link before it expired: never shown,
    nothing to keep (beat, daily)."""
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=confirm_max_age())
    return (
        Comment.objects.filter(status=Comment.Status.UNCONFIRMED, created_at__lt=cutoff)
        .delete()[1]
        .get(Comment._meta.label, 0)
    )


# --- Personal data ----------------------------------------------------------------------------


def _writer(user) -> Q:
    condition = Q(user=user)
    if user.email:
        condition |= Q(email__iexact=user.email)
    return condition


def export_personal_data(user) -> list[dict]:
    return [
        {
            "page": comment.page.title if comment.page else "",
            "written_at": comment.created_at.isoformat(),
            "status": comment.status,
            "name": comment.name,
            "email": comment.email,
            "text": comment.body,
            "ip_address": comment.ip_address,
            "email_on_replies": comment.notify_replies,
        }
        for comment in Comment.objects.filter(_writer(user)).select_related("page")
    ]


def erase_personal_data(user) -> None:
    """Approved comments stay (replies keep their sense) under "Tidligere deltager"; everything
    that identifies the writer goes, and comments never published are deleted."""
    comments = Comment.objects.filter(_writer(user))
    comments.exclude(status=Comment.Status.APPROVED).filter(replies__isnull=True).delete()
    Comment.objects.filter(_writer(user)).update(
        user=None,
        name=str(FORMER_PARTICIPANT),
        email="",
        ip_address=None,
        notify_replies=False,
    )
    page_cache.purge()
