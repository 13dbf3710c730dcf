from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("arrangementer/kalender.ics", views.calendar_feed, name="calendar_feed"),
    path("arrangementer/<id:event_id>/tilmeld/", views.register, name="register"),
    path("arrangementer/<id:event_id>/kalender.ics", views.event_ics, name="event_ics"),
    path("arrangementer/bekraeft/<str:token>/", views.confirm, name="confirm"),
    path("arrangementer/afmeld/<str:token>/", views.cancel, name="cancel"),
    path("medlemmer/tilmeldinger/", views.my_registrations, name="my_registrations"),
    path(
        "medlemmer/tilmeldinger/<id:registration_id>/afmeld/",
        views.cancel_own,
        name="cancel_own",
    ),
]
