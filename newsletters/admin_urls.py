from django.urls import path

from . import admin_views

urlpatterns = [
    path("send/<int:page_id>/", admin_views.send_view, name="newsletters_send"),
    path("udsendelse/<int:send_id>/", admin_views.progress_view, name="newsletters_send_progress"),
    path(
        "udsendelse/<int:send_id>/send-ukendte-igen/",
        admin_views.resend_unknown_view,
        name="newsletters_resend_unknown",
    ),
    path("abonnenter/import/", admin_views.import_view, name="newsletters_import_subscribers"),
]
