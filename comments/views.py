from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from wagtail.models import Page, Site

from core.client_ip import client_ip
from core.ratelimits import is_limited

from . import services
from .forms import CommentForm


def _commentable_page(request, page_id: int):
    """The live page, if it takes comments and the visitor may read it (404 otherwise: a
    members-only page is not even admitted to exist)."""
    page = Page.objects.live().filter(pk=page_id).first()
    page = page.specific if page is not None else None
    if page is None or not services.can_read_comments(page, request.user):
        raise Http404
    return page


def _parent_id(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def write(request, page_id: int):
    """The comment form (also for replies: ``?svar=<comment>``) and where it is sent."""
    page = _commentable_page(request, page_id)
    site = Site.find_for_request(request)
    context = {"page": page, "target": page, "open": services.comments_open(page, site)}
    if not context["open"]:
        return render(request, "comments/write.html", context, status=403)
    data = request.POST if request.method == "POST" else None
    form = CommentForm(data, user=request.user)
    parent_id = _parent_id(request.POST.get("parent") if data else request.GET.get("svar"))
    parent = services.reply_parent(page, parent_id)
    if data is None:
        form.initial["parent"] = parent.pk if parent else None
        return render(request, "comments/write.html", {**context, "form": form, "parent": parent})
    if form.is_spam():
        return render(request, "comments/received.html", {**context, "confirm_by_email": True})
    address = request.user.email if request.user.is_authenticated else data.get("email", "")
    if is_limited(request, "comment", address=address):
        form.add_error(None, _("Du har skrevet mange kommentarer på kort tid. Prøv igen senere."))
    elif parent_id and parent is None:
        form.add_error(None, _("Kommentaren, du svarer på, findes ikke (længere)."))
    elif form.is_valid():
        try:
            comment = services.post_comment(
                page=page,
                user=request.user,
                name=form.cleaned_data.get("name", ""),
                email=form.cleaned_data.get("email", ""),
                body=form.cleaned_data["body"],
                parent=parent,
                notify_replies=form.cleaned_data["notify_replies"],
                ip_address=client_ip(request),
            )
        except services.CommentError as error:
            form.add_error("body", str(error))
        else:
            if request.user.is_authenticated:
                thanks = _("Tak for din kommentar. Den vises, når en redaktør har godkendt den.")
                messages.success(request, thanks)
                return redirect(page.get_url(request) + "#kommentarer")
            return render(
                request,
                "comments/received.html",
                {**context, "confirm_by_email": comment.status != comment.Status.PENDING},
            )
    return render(
        request, "comments/write.html", {**context, "form": form, "parent": parent}, status=400
    )


def confirm(request, token):
    """The link in the confirmation e-mail: a GET shows a button (link scanners follow GETs),
    the POST puts the comment in the moderation queue."""
    try:
        if request.method == "POST":
            comment = services.confirm_comment(token)
            return render(request, "comments/confirmed.html", {"comment": comment})
        comment = services.comment_for_confirmation(token)
    except services.CommentError as error:
        return render(request, "comments/link_error.html", {"error": str(error)}, status=400)
    return render(request, "comments/confirm.html", {"comment": comment})


@csrf_exempt  # one click from the e-mail (or the mail client's List-Unsubscribe); the token
def stop_replies(request, token):  # authenticates, and all it can do is stop e-mails.
    if request.method != "POST":
        return render(request, "comments/stop_replies.html", {"token": token})
    try:
        services.stop_reply_notifications(token)
    except services.CommentError as error:
        return render(request, "comments/link_error.html", {"error": str(error)}, status=400)
    return render(request, "comments/stop_replies.html", {"stopped": True})
