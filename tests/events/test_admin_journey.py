"""Browser: an editor opens an event, goes to its registrations, exports them and marks a
participant as attended, at 1280 px, with axe-core on the registrations page."""

import pytest

from events import services
from events.models import Registration
from tests.browser_support import assert_accessible, save_screenshot
from tests.factories import DEFAULT_PASSWORD, EventIndexPageFactory, EventPageFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def on_commit_runs_immediately():
    """Overrides the unit-test shortcut: this journey commits for real."""


# The characters after which the text of an element wraps onto a new line.
WRAPS_AFTER = """el => {
  const range = document.createRange(), after = [];
  let top = null, previous = "";
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      range.setStart(node, i); range.setEnd(node, i + 1);
      const box = range.getBoundingClientRect();
      if (!box.width) { previous = node.data[i]; continue; }
      if (top !== null && box.top > top + 1) after.push(previous);
      top = box.top; previous = node.data[i];
    }
  }
  return after;
}"""


def _breaks_only_between_words(locator) -> bool:
    return all(character in " -" for character in locator.evaluate(WRAPS_AFTER))


def test_editor_event_registrations_export_and_mark_attended(page, live_server, settings):
    from home.demo import ensure_home_page

    event = EventPageFactory(
        parent=EventIndexPageFactory(parent=ensure_home_page()),
        title="Temaeftermiddag om frivillighed",
        capacity=10,
    )
    for n, name in enumerate(["Anna-Kathrine Søndergaard Christiansen", "Bo Berg"]):
        registration = services.register_for_event(
            event, name=name, email=f"p{n}@example.dk", organisation="Vejle Kommune"
        )
        services.confirm_registration(services.confirm_token(registration))
    UserFactory(username="redaktoer", is_staff=True, is_superuser=True)
    settings.BASE_URL = live_server.url

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/admin/login/")
    page.locator("#id_username").fill("redaktoer")
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/pages/{event.pk}/edit/")
    panel = page.locator(".event-registration-summary")
    assert "2 af 10 pladser besat (20 %)" in panel.inner_text()
    panel.get_by_role("link", name="Se tilmeldingerne").click()
    page.wait_for_url(f"**/admin/arrangementer/{event.pk}/tilmeldinger/")
    assert_accessible(page, "event-admin-1-registrations")
    name = page.get_by_text("Anna-Kathrine Søndergaard Christiansen", exact=True)
    assert _breaks_only_between_words(name)  # never letter by letter

    with page.expect_download() as download:
        page.get_by_role("link", name="Hent CSV").click()
    exported = open(download.value.path(), encoding="utf-8-sig").read()
    assert "Anna-Kathrine Søndergaard Christiansen" in exported and ";Tilmeldt;" in exported

    page.get_by_label("Anna-Kathrine Søndergaard Christiansen").check()
    page.get_by_label("Med de valgte:").select_option(label="Markér som mødt")
    page.get_by_role("button", name="Udfør").click()
    page.wait_for_url(f"**/admin/arrangementer/{event.pk}/tilmeldinger/")
    assert "1 tilmelding opdateret." in page.locator("body").inner_text()
    assert page.locator('dd[data-count="attended"]').inner_text() == "1"
    assert dict(Registration.objects.values_list("email", "attended")) == {
        "p0@example.dk": True,
        "p1@example.dk": False,
    }
    assert_accessible(page, "event-admin-2-marked")

    page.goto(f"{live_server.url}/admin/events/registration/")  # the global menu's listing
    save_screenshot(page, "event-admin-3-all-registrations")
    title = page.locator("td.field-name .title-wrapper a", has_text="Anna-Kathrine")
    assert _breaks_only_between_words(title)
