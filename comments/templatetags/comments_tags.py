from django import template
from django.contrib.auth.models import AnonymousUser
from wagtail.models import Site

from .. import services
from ..forms import CommentForm

register = template.Library()


@register.inclusion_tag("comments/section.html", takes_context=True)
def comments_section(context, page):
    """The approved comments of ``page`` and the way to add one, for whoever may read them."""
    request = context["request"]
    user = request.user
    if not services.can_read_comments(page, user):
        return {"show": False}
    is_open = services.comments_open(page, Site.find_for_request(request))
    thread = services.approved_thread(page)
    return {
        "show": is_open or bool(thread),
        "page": page,
        "thread": thread,
        "count": sum(1 + len(comment.approved_replies) for comment in thread),
        "open": is_open,
        # Logged-in visitors write on the page itself (their pages are never cached); the
        # public on the form page, so the cached post page carries no CSRF token.
        "form": CommentForm(user=user) if is_open and user.is_authenticated else None,
        # Anonymous readers read only public pages; others are checked as the public.
        "public_feed": not user.is_authenticated
        or services.can_read_comments(page, AnonymousUser()),
        "request": request,
    }


@register.simple_tag
def comment_counts(posts):
    """``{translation_key: approved comments}`` for the posts of a listing (one query)."""
    return services.approved_counts(list(posts))


@register.filter
def count_for(counts, page):
    return (counts or {}).get(page.translation_key, 0)
