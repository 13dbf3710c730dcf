from django.urls import path

from . import views

app_name = "site_search"

urlpatterns = [
    path("soeg/", views.search, name="search"),
    path("soeg/bibliotek/", views.library, name="library"),
    path("soeg/autocomplete/", views.autocomplete, name="autocomplete"),
]
