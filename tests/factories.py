"""factory_boy factories shared by the test suite."""

from __future__ import annotations

import datetime

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from wagtail.models import PageViewRestriction

from home.models import NewsCategory, NewsIndexPage, NewsPage, StandardPage
from members_area.access import members_group

DEFAULT_PASSWORD = "korrekt-hest-batteri"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"bruger{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.dk")
    first_name = "Test"
    password = factory.django.Password(DEFAULT_PASSWORD)


class MemberFactory(UserFactory):
    @factory.post_generation
    def members_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(members_group())


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Side {n}")
    intro = "En standardside."


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsIndexPage

    title = "Nyheder"
    slug = "nyheder"


class NewsCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsCategory

    name = factory.Sequence(lambda n: f"Kategori {n}")
    slug = factory.Sequence(lambda n: f"kategori-{n}")


class NewsPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsPage

    title = factory.Sequence(lambda n: f"Nyhed {n}")
    intro = factory.Sequence(lambda n: f"Indledning til nyhed {n}.")
    date = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n))


def restrict_to_members(page) -> PageViewRestriction:
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(members_group())
    return restriction


class CaseIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = "cases.CaseIndexPage"

    title = "Casebank"
    slug = "cases"


class CasePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = "cases.CasePage"

    title = factory.Sequence(lambda n: f"Case {n}")
    summary = factory.Sequence(lambda n: f"Resumé af case {n}.")
    challenge = "<p>Udfordringen.</p>"
    solution = "<p>Løsningen.</p>"
    municipality = "Vejle"


class LibraryPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = "resources.LibraryPage"

    title = "Vidensbibliotek"
    slug = "bibliotek"


class ResourcePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = "resources.ResourcePage"

    title = factory.Sequence(lambda n: f"Ressource {n}")
    resource_type = "report"
    abstract = factory.Sequence(lambda n: f"Resumé af ressource {n}.")
    year = 2025


class MemberOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "members_area.MemberOrganisation"

    name = factory.Sequence(lambda n: f"Kommune {n}")
    region = "syddanmark"


def make_member(organisation=None, **kwargs):
    """A member user with a profile in an (active) member organisation."""
    from members_area.models import MemberProfile

    user = MemberFactory(**kwargs)
    MemberProfile.objects.create(
        user=user, organisation=organisation or MemberOrganisationFactory()
    )
    return user


class EventIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = "events.EventIndexPage"

    title = "Arrangementer"
    slug = "arrangementer"


class EventPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = "events.EventPage"

    title = factory.Sequence(lambda n: f"Arrangement {n}")
    event_type = "afternoon"
    audience = "open"
    summary = "En temaeftermiddag."
    venue_name = "Dokk1"
    city = "Aarhus"
    capacity = 20
    start = factory.LazyFunction(lambda: _soon(10, 13))
    end = factory.LazyFunction(lambda: _soon(10, 16))


def _soon(days: int, hour: int):
    import zoneinfo

    from django.utils import timezone

    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime(
        day.year, day.month, day.day, hour, tzinfo=zoneinfo.ZoneInfo("Europe/Copenhagen")
    )


class MemberDirectoryPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = "members_area.MemberDirectoryPage"

    title = "Medlemskommuner"
    intro = "Kommunerne i netværket."


class FormPageFactory(wagtail_factories.PageFactory):
    """A contact form page with name, e-mail and message fields, mailed to the secretariat."""

    class Meta:
        model = "contact.FormPage"

    title = "Kontakt"
    to_address = "sekretariat@example.dk"
    subject = "Ny henvendelse"
    retention_days = 180

    @factory.post_generation
    def fields(self, create, extracted, **kwargs):
        from contact.models import FormField

        if not create:
            return
        for label, kind in extracted or [
            ("Navn", "singleline"),
            ("E-mail", "email"),
            ("Besked", "multiline"),
        ]:
            FormField.objects.create(page=self, label=label, field_type=kind, required=True)
