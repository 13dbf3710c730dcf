from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config import health, two_factor

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("livez", health.livez, name="livez"),
    # Second login step for editors; before Wagtail's admin so its URLs don't swallow it.
    path("admin/2fa/", include(two_factor)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    # Each app owns its URLs; later capabilities add their routes in their own urls.py.
    path("", include("home.urls")),
    path("", include("members_area.urls")),
    path("", include("events.urls")),
    path("", include("search.urls")),
    path("", include("newsletters.urls")),
    path("", include("forum.urls")),
    path("", include("comments.urls")),
    path("", include("alerts.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.http import Http404
    from django.urls import re_path

    def _no_originals(request, path):
        raise Http404  # originals may be members-only or unredacted: only renditions are public

    # Same rule as production (README "Production"): images/ renditions yes, originals no.
    urlpatterns += [re_path(r"^media/original_images/(?P<path>.*)$", _no_originals)]
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Page URLs: Danish at the root, English under /en/.
urlpatterns += i18n_patterns(
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
