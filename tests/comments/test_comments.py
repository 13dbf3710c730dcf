"""Comments on news posts: the public confirm by e-mail, editors moderate, replies, switches."""

import datetime
import re

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from comments import services
from comments.models import Comment, CommentSettings
from core.outbox.models import OutboundEmail
from tests.comments.conftest import started, write
from tests.factories import UserFactory, make_member

pytestmark = pytest.mark.django_db


def _confirm_link(message) -> str:
    return re.search(r"http://\S+(/kommentarer/bekraeft/\S+/)", message.body).group(1)


def _approve(comment, moderator=None):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.moderate(comment, "approve", moderator)


def test_a_public_comment_is_confirmed_by_e_mail_then_moderated_then_shown(client, post):
    form = client.get(f"/kommentarer/{post.pk}/")
    assert form.status_code == 200 and "Skriv en kommentar" in form.content.decode()

    response = write(client, post)
    assert "Vi har sendt dig en e-mail" in response.content.decode()
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.UNCONFIRMED
    assert comment.page_key == post.translation_key
    assert [m.to for m in mail.outbox] == [["lone@example.dk"]]

    link = _confirm_link(mail.outbox[0])
    client.get(link)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.UNCONFIRMED  # link scanners' GET confirm nothing
    client.post(link)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert "samskabelse" not in client.get(post.url).content.decode()  # not before approval

    _approve(comment)
    page = client.get(post.url).content.decode()
    assert "Et godt indlæg om samskabelse." in page and "1 kommentar" in page
    assert "lone@example.dk" not in page


def test_a_stale_or_forged_confirmation_link_is_refused_with_a_message(client, post):
    response = client.post("/kommentarer/bekraeft/forfalsket/")
    assert response.status_code == 400 and "ugyldigt" in response.content.decode()


def test_members_comment_with_their_account_and_skip_the_e_mail(client, post):
    member = make_member(username="mette@kommune.dk", first_name="Mette", last_name="Holm")
    client.force_login(member)
    page = client.get(post.url).content.decode()
    assert 'name="body"' in page and 'name="email"' not in page  # inline form, no address
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            f"/kommentarer/{post.pk}/",
            {"body": "Vi prøver det i Aarhus.", "started": started()},
        )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.status, comment.user, comment.name) == ("pending", member, "Mette Holm")
    assert mail.outbox == []


def test_text_is_sanitised_like_forum_posts(client, post):
    write(client, post, body="Hej <script>alert(1)</script> *der* [se](javascript:alert(2))")
    comment = Comment.objects.get()
    assert "<script" not in comment.body_html and "javascript:" not in comment.body_html
    assert "<em>der</em>" in comment.body_html


def test_replies_are_one_level_deep_and_tell_the_author_once(client, post):
    write(client, post, notify_replies="on")
    parent = Comment.objects.get()
    client.post(_confirm_link(mail.outbox[0]))
    _approve(parent)
    mail.outbox.clear()

    client.force_login(make_member(username="svarer@kommune.dk", first_name="Svend"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            f"/kommentarer/{post.pk}/",
            {"body": "Godt spørgsmål.", "parent": parent.pk, "started": started()},
        )
    reply = Comment.objects.get(parent=parent)
    _approve(reply)
    assert [m.to for m in mail.outbox] == [["lone@example.dk"]]
    assert "Godt spørgsmål." in mail.outbox[0].body
    assert "List-Unsubscribe" in mail.outbox[0].extra_headers
    _approve(reply)  # approved again: nobody is told twice
    assert len(mail.outbox) == 1
    # Both e-mails (the confirmation link and the reply) are outbox messages, sent once.
    assert sorted(OutboundEmail.objects.values_list("kind", "recipient", "status")) == [
        ("comments.confirmation", "lone@example.dk", "sent"),
        ("comments.reply", "lone@example.dk", "sent"),
    ]

    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(
            f"/kommentarer/{post.pk}/",
            {"body": "Og et svar på svaret.", "parent": reply.pk, "started": started()},
        )
    assert Comment.objects.get(body="Og et svar på svaret.").parent == parent


def test_the_author_can_stop_reply_e_mails_with_one_click(client, post):
    write(client, post, notify_replies="on")
    comment = Comment.objects.get()
    response = client.post(f"/kommentarer/stop-svar/{services.stop_replies_token(comment)}/")
    assert response.status_code == 200
    comment.refresh_from_db()
    assert comment.notify_replies is False


def test_editors_switch_comments_off_per_page_and_per_page_type(client, post):
    post.allow_comments = False
    post.save_revision().publish()
    assert client.get(f"/kommentarer/{post.pk}/").status_code == 403
    assert write(client, post).status_code == 403
    post.allow_comments = True
    post.save_revision().publish()
    assert client.get(f"/kommentarer/{post.pk}/").status_code == 200

    settings = CommentSettings.for_site(post.get_site())
    settings.on_news = False
    settings.save()
    assert client.get(f"/kommentarer/{post.pk}/").status_code == 403
    assert "Skriv en kommentar" not in client.get(post.url).content.decode()
    assert Comment.objects.count() == 0


def test_existing_comments_stay_visible_when_comments_close(client, post):
    write(client, post)
    comment = Comment.objects.get()
    client.post(_confirm_link(mail.outbox[0]))
    _approve(comment)
    post.allow_comments = False
    post.save_revision().publish()
    page = client.get(post.url).content.decode()
    assert "samskabelse" in page and "Der er lukket for nye kommentarer." in page


def test_bad_input_never_fails(client, post):
    assert client.get(f"/kommentarer/{post.pk}/?svar=abc").status_code == 200
    assert client.get(f"/kommentarer/{post.pk}/?svar=999999").status_code == 200
    assert client.get("/kommentarer/999999/").status_code == 404
    assert write(client, post, parent="999999").status_code == 400
    assert write(client, post, email="ikke-en-adresse", body="").status_code == 400
    assert client.get("/kommentarer/feed/999999/").status_code == 404
    assert Comment.objects.count() == 0


def test_comments_belong_to_the_post_in_every_language(client, post):
    from wagtail.models import Locale

    english = Locale.objects.get_or_create(language_code="en")[0]
    translated = post.copy_for_translation(english, copy_parents=True, alias=False)
    translated.save_revision().publish()
    write(client, post)
    comment = Comment.objects.get()
    client.post(_confirm_link(mail.outbox[0]))
    _approve(comment)
    assert "samskabelse" in client.get(translated.url).content.decode()


def test_personal_data_export_and_erasure(client, post):
    from members_area import services as members

    user = UserFactory(username="lone@example.dk", email="lone@example.dk")
    write(client, post, notify_replies="on")
    comment = Comment.objects.get()
    client.post(_confirm_link(mail.outbox[0]))
    _approve(comment)
    exported = members.export_personal_data(user)["comments"]
    assert exported[0]["text"] == "Et godt indlæg om samskabelse."
    assert exported[0]["email"] == "lone@example.dk"

    services.erase_personal_data(user)
    comment.refresh_from_db()
    assert (comment.email, comment.name, comment.ip_address) == ("", "Tidligere deltager", None)
    assert "Lone" not in client.get(post.url).content.decode()


def test_unconfirmed_public_comments_are_deleted_when_their_link_has_expired(client, post):
    write(client, post, email="glemt@example.dk", body="Aldrig bekræftet.")
    write(client, post, email="ny@example.dk", body="Lige skrevet.")
    Comment.objects.filter(email="glemt@example.dk").update(
        created_at=timezone.now() - datetime.timedelta(hours=73)
    )
    assert services.delete_unconfirmed() == 1
    assert list(Comment.objects.values_list("email", flat=True)) == ["ny@example.dk"]
