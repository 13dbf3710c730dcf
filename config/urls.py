from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from config import health, two_factor
from config.media import serve_rendition
from core import views as core_views
from members_area.admin_views import SetMembersPrivacyView
from members_area.views import AdminPasswordResetView

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("livez", health.livez, name="livez"),
    # Second login step for editors; before Wagtail's admin so its URLs don't swallow it.
    path("admin/2fa/", include(two_factor)),
    # The page privacy dialog offers the Members group only (members_area/admin_views.py).
    path(
        "admin/pages/<int:page_id>/privacy/",
        require_admin_access(SetMembersPrivacyView.as_view()),
    ),
    # The admin's "forgot password" with the members' limits (per IP and per address) and
    # background job: one reset flow, one budget per address.
    path("admin/password_reset/", AdminPasswordResetView.as_view()),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Uploaded media: renditions only, path normalised first; originals and documents never
# (documents only through /documents/<id>/..., which checks their collection). Behind the
# documented nginx the same rule answers /media/ before Django sees it.
urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve_rendition)]

# Danish at the root, English under /en/: pages and every app's own views (search, forms,
# members' area...), so an English visitor's search or sign-up stays English.
urlpatterns += i18n_patterns(
    # Each app owns its URLs; later capabilities add their routes in their own urls.py.
    path("", include("home.urls")),
    path("", include("members_area.urls")),
    path("", include("events.urls")),
    path("", include("search.urls")),
    path("", include("newsletters.urls")),
    path("", include("forum.urls")),
    path("", include("comments.urls")),
    path("", include("alerts.urls")),
    # Pages are served by Wagtail's view behind core.site_state's per-process lookups; Wagtail's
    # own pattern stays below for its utility views and for reversing page URLs.
    re_path(wagtail_urls.serve_pattern, core_views.serve),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
