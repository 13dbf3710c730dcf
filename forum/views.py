from django.contrib import messages
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.bad_input import object_id
from core.ratelimits import is_limited
from members_area.decorators import members_only
from search.forms import clean_text

from . import services
from .forms import MoveForm, PostForm, ReportForm, ThreadForm
from .models import Category, Post, Subscription, Thread

THREADS_PER_PAGE = 20
POSTS_PER_PAGE = 20


def _posted_id(request, name: str) -> int:
    """The id a form posted in ``name``; anything else is a bad request (400), not a 500."""
    value = object_id(request.POST.get(name))
    if value is None:
        raise BadRequest(f"{name} is not an id")
    return value


def _thread_for(request, pk) -> Thread:
    thread = services.visible_threads(request.user).filter(pk=pk).first()
    if thread is None:
        raise Http404
    return thread


@members_only
def index(request):
    return render(
        request,
        "forum/index.html",
        {
            "categories": services.categories_for(request.user),
            "latest": services.latest_activity(request.user, 10),
        },
    )


@members_only
def category(request, slug):
    category_obj = get_object_or_404(Category, slug=slug)
    threads = services.with_unread(
        request.user, services.visible_threads(request.user).filter(category=category_obj)
    )
    page = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("side"))
    subscribed = Subscription.objects.filter(user=request.user, category=category_obj).exists()
    return render(
        request,
        "forum/category.html",
        {
            "category": category_obj,
            "threads": page,
            "subscribed": subscribed,
        },
    )


@members_only
def new_thread(request, slug):
    category_obj = get_object_or_404(Category, slug=slug)
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            thread = services.start_thread(
                request.user,
                category=category_obj,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except services.ForumError as error:
            form.add_error(None, str(error))
        else:
            return redirect("forum:thread", pk=thread.pk)
    return render(request, "forum/thread_form.html", {"form": form, "category": category_obj})


@members_only
def thread(request, pk):
    thread_obj = _thread_for(request, pk)
    posts = Paginator(services.visible_posts(request.user, thread_obj), POSTS_PER_PAGE)
    page = posts.get_page(request.GET.get("side"))
    form = PostForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                post = services.reply(
                    request.user, thread=thread_obj, body=form.cleaned_data["body"]
                )
            except services.ForumError as error:
                form.add_error(None, str(error))
            else:
                last = Paginator(services.visible_posts(request.user, thread_obj), POSTS_PER_PAGE)
                return redirect(f"{request.path}?side={last.num_pages}#indlaeg-{post.pk}")
    else:
        services.mark_read(request.user, thread_obj)
    return render(
        request,
        "forum/thread.html",
        {
            "thread": thread_obj,
            "posts": page,
            "form": form,
            "can_moderate": services.can_moderate(request.user),
            "subscribed": Subscription.objects.filter(
                user=request.user, thread=thread_obj
            ).exists(),
            "move_form": MoveForm(initial={"category": thread_obj.category_id}),
            "report_form": ReportForm(),
            "editable_ids": {p.pk for p in page if services.can_edit(request.user, p)},
        },
        status=400 if request.method == "POST" else 200,
    )


@members_only
def post(request, pk):
    """A post's own address (e-mails, search, the moderators' queue): the page of its thread
    it is on, scrolled to it."""
    post_obj = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    thread_obj = _thread_for(request, post_obj.thread_id)
    if post_obj.hidden and not services.can_moderate(request.user):
        raise Http404
    page = services.position_in_thread(request.user, post_obj) // POSTS_PER_PAGE + 1
    url = reverse("forum:thread", args=[thread_obj.pk])
    return redirect(
        f"{url}?side={page}#indlaeg-{post_obj.pk}" if page > 1 else f"{url}#indlaeg-{post_obj.pk}"
    )


@members_only
def edit_post(request, pk):
    post = get_object_or_404(Post.objects.select_related("thread"), pk=pk)
    _thread_for(request, post.thread_id)
    if not services.can_edit(request.user, post):
        messages.error(
            request, _("Du kan kun rette dine egne indlæg kort tid efter, du skrev dem.")
        )
        return redirect("forum:thread", pk=post.thread_id)
    form = PostForm(request.POST or None, initial={"body": post.body_markdown})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_post(request.user, post=post, body=form.cleaned_data["body"])
        except services.ForumError as error:
            form.add_error(None, str(error))
        else:
            return redirect("forum:thread", pk=post.thread_id)
    return render(request, "forum/post_edit.html", {"form": form, "post": post})


@members_only
@require_POST
def moderate(request, pk):
    thread_obj = get_object_or_404(Thread, pk=pk)
    action = request.POST.get("action", "")
    try:
        if action in {"hide_post", "unhide_post"}:
            post = get_object_or_404(Post, pk=_posted_id(request, "post"), thread=thread_obj)
            services.set_post_hidden(request.user, post, action == "hide_post")
        else:
            move = MoveForm(request.POST) if action == "move" else None
            category_obj = move.cleaned_data["category"] if move and move.is_valid() else None
            services.moderate_thread(request.user, thread_obj, action, category_obj)
    except services.ForumError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Ændringen er gemt."))
    return redirect("forum:thread", pk=thread_obj.pk)


@members_only
@require_POST
def report(request, pk):
    # A post a moderator has hidden is gone for members: nothing left to report.
    post = get_object_or_404(Post, pk=pk, hidden=False)
    _thread_for(request, post.thread_id)
    form = ReportForm(request.POST)
    if is_limited(request, "forum_report"):
        messages.error(request, _("Du har anmeldt mange indlæg på kort tid. Prøv igen senere."))
    elif form.is_valid():
        services.report_post(request.user, post=post, reason=form.cleaned_data["reason"])
        messages.success(request, _("Tak. Moderatorerne ser på indlægget."))
    else:
        messages.error(request, _("Skriv en begrundelse for anmeldelsen."))
    return redirect("forum:thread", pk=post.thread_id)


@members_only
@require_POST
def subscribe(request):
    thread_obj = (
        _thread_for(request, _posted_id(request, "thread")) if request.POST.get("thread") else None
    )
    category_obj = (
        get_object_or_404(Category, pk=_posted_id(request, "category"))
        if request.POST.get("category")
        else None
    )
    if (thread_obj is None) == (category_obj is None):
        raise Http404
    subscribed = services.toggle_subscription(
        request.user, thread=thread_obj, category=category_obj
    )
    messages.success(
        request, _("Du følger nu med.") if subscribed else _("Du følger ikke længere med.")
    )
    if thread_obj:
        return redirect("forum:thread", pk=thread_obj.pk)
    return redirect("forum:category", slug=category_obj.slug)


@members_only
def search(request):
    query = clean_text(request.GET.get("q", ""))  # no NUL: PostgreSQL rejects it in any text
    return render(
        request,
        "forum/search.html",
        {
            "query": query,
            "results": services.search_posts(request.user, query),
        },
    )
