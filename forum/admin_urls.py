from django.urls import path

from . import admin_views

urlpatterns = [
    path("anmeldelser/", admin_views.queue, name="forum_reports"),
    path(
        "anmeldelser/indlaeg/<int:pk>/<slug:action>/",
        admin_views.moderate,
        name="forum_moderate_post",
    ),
]
