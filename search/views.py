from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.ratelimits import limit

from . import services
from .forms import LibrarySearchForm, SiteSearchForm, clean_text
from .pages import library_search_limited, too_many_searches


@require_GET
@limit("search", methods=())
def search(request):
    if getattr(request, "limited", False):
        return too_many_searches()
    form = SiteSearchForm(request.GET)
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "result": form.search(request.user),
            "query_string": form.query_string_without_page(),
        },
    )


@require_GET
def library(request):
    if library_search_limited(request):
        return too_many_searches()
    form = LibrarySearchForm(request.GET)
    return render(
        request,
        "search/library.html",
        {
            "library": form.search(request.user),
            "library_query_string": form.query_string_without_page(),
        },
    )


@require_GET
@limit("autocomplete", methods=())
def autocomplete(request):
    if getattr(request, "limited", False):
        return JsonResponse({"error": "rate_limited", "results": []}, status=429)
    results = services.autocomplete(request.user, clean_text(request.GET.get("q", ""), 100))
    response = JsonResponse({"results": results})
    # Suggestions depend on who asks (members see more): never share them between users.
    response["Cache-Control"] = "private, max-age=60"
    response["Vary"] = "Cookie"
    return response
