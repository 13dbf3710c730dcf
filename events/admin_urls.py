"""Admin URLs of events (registered by ``wagtail_hooks``; views in ``admin_views``)."""

from django.urls import path

from . import admin_views

urlpatterns = [
    path(
        "arrangementer/<int:event_id>/tilmeldinger/",
        admin_views.event_registrations,
        name="events_admin_registrations",
    ),
    path(
        "arrangementer/<int:event_id>/tilmeldinger/handling/",
        admin_views.registration_action,
        name="events_admin_registration_action",
    ),
    path(
        "arrangementer/<int:event_id>/tilmeldinger/eksport.<str:extension>",
        admin_views.export_registrations,
        name="events_admin_export",
    ),
    path(
        "arrangementer/<int:event_id>/deltagerliste/",
        admin_views.attendance_list,
        name="events_admin_attendance_list",
    ),
    path(
        "tilmeldinger/<int:pk>/ryk-op/",
        admin_views.promote_registration,
        name="events_promote_registration",
    ),
]
