"""Markdown for forum posts, rendered then sanitised with nh3 (an allow-list).

Markdown itself passes raw HTML through, so sanitising afterwards is what makes it safe: no
script, no event handler attribute, no style, and only http(s)/mailto links survive.
"""

import markdown
import nh3
from django.utils.text import Truncator

from search.text import plain_text

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> str:
    html = markdown.markdown(text or "", extensions=["fenced_code", "sane_lists", "nl2br"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener ugc",
        strip_comments=True,
    )


def excerpt(rendered_html: str, length: int) -> str:
    """What a reader sees of a rendered post as plain text (no Markdown, no tags), cut at a
    word boundary to at most ``length`` characters with an ellipsis."""
    return Truncator(plain_text(rendered_html)).chars(length)
