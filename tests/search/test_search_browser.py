"""The search box in a real browser: suggestions appear as you type æ/ø/å prefixes."""

from __future__ import annotations

import pytest

from home.models import StandardPage
from tests.browser_support import assert_accessible


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_autocomplete_suggests_and_keyboard_opens_the_page(page, live_server):
    from home.demo import ensure_home_page

    home = ensure_home_page()
    lunch = home.add_child(instance=StandardPage(title="Smørrebrød i København", intro="Frokost"))
    home.add_child(instance=StandardPage(title="Ældrepleje på Ærø"))

    page.goto(f"{live_server.url}/soeg/")
    page.get_by_label("Søgeord").fill("smø")
    suggestion = page.get_by_role("option").first
    suggestion.wait_for()
    assert suggestion.inner_text() == "Smørrebrød i København"
    assert_accessible(page, "search-1-autocomplete")

    page.get_by_label("Søgeord").press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{lunch.url}")
    assert_accessible(page, "search-2-suggested-page")

    # Without picking a suggestion the form is a plain GET search.
    page.goto(f"{live_server.url}/soeg/")
    page.get_by_label("Søgeord").fill("Ærø")
    page.get_by_role("button", name="Søg").click()
    assert "Ældrepleje på Ærø" in page.locator(".search-results").inner_text()
    assert_accessible(page, "search-3-results")
