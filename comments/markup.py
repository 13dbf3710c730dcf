"""Comment text: Markdown rendered, then sanitised with nh3, as forum posts are.

Markdown passes raw HTML through, so the allow-list after rendering is what makes it safe. The
list is shorter than the forum's (no headings, no rules): a comment is a few paragraphs.
"""

from __future__ import annotations

import re

import markdown
import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "code", "blockquote", "ul", "ol", "li", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# What a spammer's link looks like in the raw text, rendered as a link or not.
LINK = re.compile(r"https?://|www\.|\]\(", re.IGNORECASE)


def render_comment(text: str) -> str:
    html = markdown.markdown(text or "", extensions=["sane_lists", "nl2br"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener ugc",
        strip_comments=True,
    )


def plain_text(text: str) -> str:
    """The comment without markup, for e-mails and feeds."""
    return nh3.clean(render_comment(text), tags=set()).strip()


def count_links(text: str) -> int:
    return len(LINK.findall(text or ""))
