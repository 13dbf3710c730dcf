from django.apps import AppConfig


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    # "search" is a common label; keep ours distinct from wagtail.search ("wagtailsearch").
    label = "site_search"
