from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from . import services


def _too_many(request) -> HttpResponse:
    return HttpResponse(
        _("For mange søgninger på kort tid. Vent et øjeblik, og prøv igen."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )


@require_GET
@ratelimit(key="ip", rate=lambda group, request: settings.SEARCH_RATELIMIT, block=False)
def search(request):
    if getattr(request, "limited", False):
        return _too_many(request)
    result = services.site_search(
        request.user, request.GET.get("q", ""), request.GET.get("side", 1)
    )
    return render(
        request,
        "search/search.html",
        {"result": result, "query_string": services.query_string_without_page(request)},
    )


@require_GET
@ratelimit(key="ip", rate=lambda group, request: settings.SEARCH_RATELIMIT, block=False)
def library(request):
    if getattr(request, "limited", False):
        return _too_many(request)
    result = services.library_search_for_request(request)
    return render(
        request,
        "search/library.html",
        {"library": result, "library_query_string": services.query_string_without_page(request)},
    )


@require_GET
@ratelimit(key="ip", rate=lambda group, request: settings.AUTOCOMPLETE_RATELIMIT, block=False)
def autocomplete(request):
    if getattr(request, "limited", False):
        return JsonResponse({"error": "rate_limited", "results": []}, status=429)
    results = services.autocomplete(request.user, request.GET.get("q", ""))
    response = JsonResponse({"results": results})
    # Suggestions depend on who asks (members see more): never share them between users.
    response["Cache-Control"] = "private, max-age=60"
    response["Vary"] = "Cookie"
    return response
