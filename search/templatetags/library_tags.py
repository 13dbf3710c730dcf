"""Tags of the faceted library listing (``search/includes/library_search.html``)."""

from __future__ import annotations

from django import template
from django.utils.formats import localize
from django.utils.html import format_html_join

register = template.Library()

_OPTION = (
    ' <li> <input type="checkbox" name="{key}" value="{value}" id="{id}"{checked}>'
    ' <label for="{id}">{label} <span class="facet__count">({count})</span></label> </li>'
)


@register.simple_tag
def facet_options(facet):
    """The checkboxes of one facet (``search.services.Facet``), escaped as a template would.

    Built here rather than in a template loop: the loop's eight lookups a value made the
    facets the costliest part of the case bank and library pages (26 values on the case bank).
    """
    return format_html_join(
        "",
        _OPTION,
        (
            {
                "key": facet.key,
                "value": localize(value.value),
                "id": f"facet-{facet.key}-{localize(number)}",
                "checked": " checked" if value.selected else "",
                "label": value.label,
                "count": localize(value.count),
            }
            for number, value in enumerate(facet.values, start=1)
        ),
    )
