"""View decorators other apps use to gate their views (the forum)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .access import is_member


def members_only(view):
    """Members see the view; anonymous visitors log in first; other accounts are refused."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not is_member(request.user):
            return render(request, "members_area/not_a_member.html", status=403)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped
