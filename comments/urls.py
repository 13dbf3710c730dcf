from django.urls import path

from . import feeds, views

app_name = "comments"

urlpatterns = [
    path("kommentarer/<int:page_id>/", views.write, name="write"),
    path("kommentarer/bekraeft/<str:token>/", views.confirm, name="confirm"),
    path("kommentarer/stop-svar/<str:token>/", views.stop_replies, name="stop_replies"),
    path("kommentarer/feed/", feeds.SiteCommentsFeed(), name="feed"),
    path("kommentarer/feed/<int:page_id>/", feeds.PageCommentsFeed(), name="page_feed"),
]
