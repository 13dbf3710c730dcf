"""Highlighted snippets of rendered text for search listings outside the search app (forum)."""

from django import template

from search import text

register = template.Library()


@register.filter
def search_snippet(rendered_html, query):
    """An excerpt of what the reader sees of ``rendered_html`` with the query's words marked."""
    return text.highlight(text.plain_text(str(rendered_html or "")), str(query or ""))
