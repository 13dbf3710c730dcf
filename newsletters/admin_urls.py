from django.urls import path

from . import admin_views

urlpatterns = [
    path("send/<int:page_id>/", admin_views.send_view, name="newsletters_send"),
    path("foreslaa/<int:page_id>/", admin_views.compose_view, name="newsletters_compose"),
    path("udsendelse/<int:send_id>/", admin_views.progress_view, name="newsletters_send_progress"),
    path(
        "udsendelse/<int:send_id>/status.json",
        admin_views.progress_json_view,
        name="newsletters_send_progress_json",
    ),
    path(
        "udsendelse/<int:send_id>/send-ukendte-igen/",
        admin_views.resend_unknown_view,
        name="newsletters_resend_unknown",
    ),
    path("vaelg-side/", admin_views.choose_page, name="newsletters_choose_page"),
    path(
        "vaelg-side/<int:parent_page_id>/",
        admin_views.choose_page,
        name="newsletters_choose_page_child",
    ),
    path("abonnenter/import/", admin_views.import_view, name="newsletters_import_subscribers"),
]
