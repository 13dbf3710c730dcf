from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.ratelimits import limit

from . import services
from .pages import library_search_limited, too_many_searches


@require_GET
@limit("search", methods=())
def search(request):
    if getattr(request, "limited", False):
        return too_many_searches()
    result = services.site_search(
        request.user, request.GET.get("q", ""), request.GET.get("side", 1)
    )
    return render(
        request,
        "search/search.html",
        {"result": result, "query_string": services.query_string_without_page(request)},
    )


@require_GET
def library(request):
    if library_search_limited(request):
        return too_many_searches()
    result = services.library_search_for_request(request)
    return render(
        request,
        "search/library.html",
        {"library": result, "library_query_string": services.query_string_without_page(request)},
    )


@require_GET
@limit("autocomplete", methods=())
def autocomplete(request):
    if getattr(request, "limited", False):
        return JsonResponse({"error": "rate_limited", "results": []}, status=429)
    results = services.autocomplete(request.user, request.GET.get("q", ""))
    response = JsonResponse({"results": results})
    # Suggestions depend on who asks (members see more): never share them between users.
    response["Cache-Control"] = "private, max-age=60"
    response["Vary"] = "Cookie"
    return response
