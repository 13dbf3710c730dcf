"""Browser journeys over the public face: member list, join form, privacy policy, mobile chrome.

Every page is checked with axe-core and left as a screenshot at 1280 and 390 px wide in
tests/artefacts/ (public-<step>-<width>.png).
"""

import pytest
from wagtail.contrib.forms.models import FormSubmission

from home.demo import load_demo_content
from tests.browser_support import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def demo_site(live_server, settings):
    from wagtail.models import Site

    settings.CONTACT_FORM_MIN_SECONDS = 0  # a test types faster than any person
    load_demo_content()
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.port = "localhost", live_server.thread.port
    site.save()
    return live_server.url


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_visitor_finds_the_members_joins_and_reads_the_privacy_policy(page, demo_site, viewport):
    width = viewport["width"]
    page.set_viewport_size(viewport)
    page.goto(demo_site + "/")
    nav = page.get_by_role("navigation", name="Hovedmenu")
    toggle = page.get_by_role("button", name="Menu")
    if width < 768:
        # The menu hides behind one button on a phone, and opens with it.
        assert toggle.is_visible() and not nav.is_visible()
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true" and nav.is_visible()
    else:
        assert not toggle.is_visible() and nav.is_visible()
    assert_accessible(page, f"public-1-home-{width}")

    nav.get_by_role("link", name="Medlemskab").click()
    page.wait_for_url("**/medlemskab/")
    footer = page.get_by_role("contentinfo")
    footer.get_by_role("link", name="Medlemskommuner").click()
    page.wait_for_url("**/medlemskab/medlemskommuner/")
    main = page.locator("main")
    assert (
        "Vejle Kommune" in main.inner_text() and "Andel af Danmarks befolkning" in main.inner_text()
    )
    assert_accessible(page, f"public-2-member-municipalities-{width}")

    page.goto(demo_site + "/medlemskab/")
    page.get_by_role("link", name="Til formularen").click()
    page.wait_for_url("**/medlemskab/bliv-medlem/")
    page.get_by_label("Kommune").fill("Esbjerg Kommune")
    page.get_by_label("Dit navn").fill("Erik Esbjerg")
    page.get_by_label("E-mail").fill(f"erik{width}@esbjerg.example")
    assert_accessible(page, f"public-3-join-form-{width}")
    page.get_by_role("button", name="Send").click()
    page.get_by_text("Tak! Sekretariatet kontakter jer").wait_for()
    assert FormSubmission.objects.filter(form_data__e_mail=f"erik{width}@esbjerg.example").exists()
    assert_accessible(page, f"public-4-join-thanks-{width}")

    page.go_back()
    page.get_by_role("link", name="Læs vores privatlivspolitik").click()
    page.wait_for_url("**/privatlivspolitik/")
    assert "Datatilsynet" in page.locator("main").inner_text()
    assert_accessible(page, f"public-5-privacy-{width}")

    if width < 768:
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="EN", exact=True).click()
    page.wait_for_url("**/en/privacy-policy/")
    assert_accessible(page, f"public-6-privacy-en-{width}")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_contact_form_and_case_bank_filters(page, demo_site, viewport):
    width = viewport["width"]
    page.set_viewport_size(viewport)
    page.goto(demo_site + "/kontakt/")
    page.get_by_role("button", name="Send").click()  # empty: errors, no 500
    assert page.locator(".errorlist").first.is_visible()
    assert_accessible(page, f"public-7-contact-errors-{width}")

    page.goto(demo_site + "/cases/")
    filters = page.locator("details[data-collapsible-filters]")
    results = page.locator("#library-results-heading")
    if width < 800:
        # Results come first on a phone: the filters wait behind one line until opened.
        assert filters.get_attribute("open") is None
        assert results.is_visible()
        page.locator(".library-search__filters-toggle").click()
        assert filters.get_attribute("open") is not None
    else:
        assert filters.get_attribute("open") is not None
    assert_accessible(page, f"public-8-case-bank-{width}")
