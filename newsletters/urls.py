from django.urls import path

from . import views

app_name = "newsletters"

urlpatterns = [
    path("nyhedsbrev/tilmeld/", views.subscribe, name="subscribe"),
    path("nyhedsbrev/bekraeft/<str:token>/", views.confirm, name="confirm"),
    path("nyhedsbrev/afmeld/<uuid:key>/", views.unsubscribe, name="unsubscribe"),
    path("nyhedsbrev/indstillinger/<str:token>/", views.preferences, name="preferences"),
    path("nyhedsbrev/webhook/bounce/", views.bounce_webhook, name="bounce_webhook"),
]
