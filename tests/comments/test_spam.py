"""Spam defences without third-party services: a honeypot, a minimum fill time, limits per IP
and per address, a link limit and duplicate detection."""

import pytest
from django.core import mail

from comments.models import Comment
from tests.comments.conftest import started, write

pytestmark = pytest.mark.django_db


def test_a_filled_honeypot_stores_nothing_and_looks_like_success(client, post):
    response = write(client, post, website="http://spam.example")
    assert response.status_code == 200
    assert "Vi har sendt dig en e-mail" in response.content.decode()
    assert Comment.objects.count() == 0 and mail.outbox == []


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(client, post):
    page = client.get(f"/kommentarer/{post.pk}/").content.decode()
    assert '<div class="hp-field" aria-hidden="true">' in page
    assert 'tabindex="-1"' in page


def test_a_form_sent_back_too_fast_is_refused_and_the_text_kept(client, post):
    response = write(client, post, started=started(seconds_ago=1))
    body = response.content.decode()
    assert response.status_code == 400 and "for hurtigt" in body
    assert "Et godt indlæg om samskabelse." in body  # nothing lost
    assert Comment.objects.count() == 0


def test_a_missing_or_forged_timestamp_is_refused(client, post):
    assert write(client, post, started="").status_code == 400
    assert write(client, post, started="1700000000").status_code == 400
    assert Comment.objects.count() == 0


def test_too_many_links_are_refused(client, post):
    body = "Se https://a.example og https://b.example og www.c.example"
    response = write(client, post, body=body)
    assert response.status_code == 400 and "for mange links" in response.content.decode()
    assert write(client, post, body="Se https://a.example og https://b.example").status_code == 200


def test_the_same_comment_twice_is_refused(client, post):
    assert write(client, post).status_code == 200
    response = write(client, post, body="  ET GODT indlæg   om samskabelse. ")
    assert response.status_code == 400 and "allerede" in response.content.decode()
    assert Comment.objects.count() == 1 and len(mail.outbox) == 1


def test_text_posted_on_another_post_the_same_day_is_kept_as_spam_and_never_mailed(client, post):
    from tests.factories import NewsPageFactory

    other = NewsPageFactory(parent=post.get_parent())
    write(client, post, email="a@example.dk")
    response = write(client, other, email="b@example.dk")
    assert "Vi har sendt dig en e-mail" in response.content.decode()  # the same answer
    assert Comment.objects.get(page_key=other.translation_key).status == Comment.Status.SPAM
    assert [m.to for m in mail.outbox] == [["a@example.dk"]]


def test_comments_are_limited_per_address_across_ips(client, post, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment": {"ip": "100/h", "address": "2/h"}}
    for n in range(2):
        response = client.post(
            f"/kommentarer/{post.pk}/",
            {"name": "X", "email": "offer@example.dk", "body": f"Tekst {n}", "started": started()},
            REMOTE_ADDR=f"10.0.{n}.1",
        )
        assert response.status_code == 200
    response = client.post(
        f"/kommentarer/{post.pk}/",
        {"name": "X", "email": "Offer@Example.dk", "body": "Tekst 3", "started": started()},
        REMOTE_ADDR="10.0.9.1",
    )
    assert response.status_code == 400 and "Prøv igen senere" in response.content.decode()
    assert Comment.objects.count() == 2


def test_comments_are_limited_per_ip(client, post, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment": {"ip": "2/h", "address": "100/h"}}
    statuses = [
        client.post(
            f"/kommentarer/{post.pk}/",
            {"name": "X", "email": f"p{n}@example.dk", "body": f"Tekst {n}", "started": started()},
        ).status_code
        for n in range(3)
    ]
    assert statuses == [200, 200, 400]
    assert Comment.objects.count() == 2
