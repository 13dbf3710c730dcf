from django import template

from core.site_address import page_url
from members_area.access import can_view_page

register = template.Library()


@register.simple_tag
def teasers_for(pages, viewer):
    """Chosen pages the viewer may open, each with its public teaser text only."""
    items = []
    for page in pages:
        if page is None or not page.live or not can_view_page(page, viewer):
            continue
        page = page.specific
        teaser = (
            page.listing_summary
            or getattr(page, "summary", "")
            or getattr(page, "abstract", "")
            or getattr(page, "intro", "")
        )
        items.append(
            {
                "page": page,
                "title": page.title,
                "teaser": teaser,
                "url": page_url(page),
                "start": getattr(page, "start", None),
            }
        )
    return items
