from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("nyhedsmail/tilmeld/", views.subscribe, name="subscribe"),
    path("nyhedsmail/bekraeft/<str:token>/", views.confirm, name="confirm"),
    path("nyhedsmail/afmeld/<uuid:key>/", views.unsubscribe, name="unsubscribe"),
]
