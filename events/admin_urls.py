"""Admin URLs of events (registered by ``wagtail_hooks``; views in ``admin_views``)."""

from django.urls import path

from . import admin_views

urlpatterns = [
    path(
        "tilmeldinger/<int:pk>/ryk-op/",
        admin_views.promote_registration,
        name="events_promote_registration",
    ),
]
