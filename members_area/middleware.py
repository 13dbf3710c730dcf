from django.contrib import messages
from django.utils.translation import gettext as _

from .access import is_member
from .services import has_active_membership, revoke_membership


class MembershipMiddleware:
    """A member whose organisation is no longer an active member loses access at once.

    Checked on each request of a Members-group user (one indexed query): ending or pausing an
    organisation's membership in the admin takes effect on its users' next request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_staff  # staff keep access; saves the query
            and is_member(user)
            and not has_active_membership(user)
        ):
            revoke_membership(user)
            messages.warning(
                request,
                _(
                    "Din organisations medlemskab er ophørt, så du har ikke længere adgang til "
                    "medlemsområdet."
                ),
            )
        return self.get_response(request)
