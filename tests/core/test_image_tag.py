"""``{% image %}`` (core/templatetags/site_images.py) renders exactly what Wagtail's tag does,
and a rendition found in the rendition cache is not written back to it on every render."""

from __future__ import annotations

from unittest import mock

import pytest
from django.template import engines

from home.demo.building import demo_image

pytestmark = pytest.mark.django_db

FORMS = (
    '{% image img fill-480x270 format-webp class="card__image" alt="" %}',
    "{% image img width-960 %}",
    "{% image img fill-1200x630 as og %}{{ og.url }} {{ og.width }}x{{ og.height }}",
    "{% image missing width-100 %}|{% image missing width-100 as nothing %}{{ nothing }}",
    '{% srcset_image img width-{200,400} sizes="50vw" %}',
)


def render(source: str, library: str = "site_images", **context) -> str:
    template = "{% load " + library + " %}" + source
    return engines["django"].from_string(template).render(context)


def wagtails(source: str, **context) -> str:
    """The same template with Wagtail's own tag library."""
    return render(source, library="wagtailimages_tags", **context)


@pytest.mark.parametrize("source", FORMS)
def test_renders_what_wagtails_tag_renders(source):
    image = demo_image("Billede til test", (11, 94, 85), (232, 183, 58))

    ours = render(source, img=image, missing=None)

    assert ours.strip()
    assert ours == wagtails(source, img=image, missing=None)


def test_a_cached_rendition_is_used_without_writing_it_back():
    image = demo_image("Billede til test", (11, 94, 85), (232, 183, 58))
    source = '{% image img fill-480x270 format-webp alt="" %}'
    first = render(source, img=image)  # made and cached
    rendition_model = image.get_rendition_model()

    with (
        mock.patch.object(type(rendition_model.cache_backend), "set", autospec=True) as cache_set,
        mock.patch.object(type(image), "get_rendition") as get_rendition,
    ):
        again = render(source, img=image)

    assert again == first
    cache_set.assert_not_called()
    get_rendition.assert_not_called()
