import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from forum.models import Category
from tests.factories import MemberOrganisationFactory, make_member


@pytest.fixture(autouse=True)
def on_commit_runs_immediately(request, monkeypatch):
    """Unit tests run inside a transaction that never commits; e-mails leave on commit.
    (Browser journeys commit for real.)"""
    if request.node.get_closest_marker("browser"):
        return
    monkeypatch.setattr(
        "django.db.transaction.on_commit",
        lambda callback, using=None, robust=False: callback(),
    )


def _old_enough(user):
    """Accounts past the new-account flood limit, as the people in these tests are."""
    user.date_joined = timezone.now() - datetime.timedelta(days=60)
    user.save(update_fields=["date_joined"])
    return user


@pytest.fixture
def forum_category(db):
    return Category.objects.create(name="Partnerskaber", slug="partnerskaber")


@pytest.fixture
def vejle_member(home_page):
    """Mette Hansen from Vejle Kommune, a member."""
    vejle = MemberOrganisationFactory(name="Vejle Kommune")
    return _old_enough(
        make_member(
            username="mette@vejle.dk",
            email="mette@vejle.dk",
            first_name="Mette",
            last_name="Hansen",
            organisation=vejle,
        )
    )


@pytest.fixture
def moderator(home_page):
    """An editor who moderates the forum: admin access and the forum's permission (as the
    moderators' group gives), and a member so the forum's own pages open for them."""
    user = _old_enough(
        make_member(
            username="moderator@netvaerk.dk",
            email="moderator@netvaerk.dk",
            first_name="Mo",
            last_name="Derator",
            is_staff=True,
        )
    )
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="moderate_thread"),
    )
    return user


@pytest.fixture
def member_of(home_page):
    """``member_of("Aarhus Kommune", first_name=...)``: a member of a new organisation."""

    def make(name: str, **kwargs):
        organisation = MemberOrganisationFactory(name=name)
        return _old_enough(make_member(organisation=organisation, **kwargs))

    return make
