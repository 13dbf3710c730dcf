from wagtail import hooks

from members_area.access import can_view_page


@hooks.register("before_serve_page")
def allow_anonymous_page_cache(page, request, serve_args, serve_kwargs):
    """Mark responses of pages the public may open as candidates for the full-page cache."""
    if request.user.is_authenticated:
        return  # responses to logged-in visitors are never stored
    request.page_cache_allowed = can_view_page(page, request.user)
