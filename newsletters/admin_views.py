"""Admin views of newsletters: compose and send an issue, follow a send, import subscribers,
and the page chooser that starts at the right index.

Registered by ``wagtail_hooks`` (through ``admin_urls``); the rules live in ``services``.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.chooser import BrowseView, page_models_from_string
from wagtail.models import Locale, Page

from core.forms import parse_ids

from . import services
from .admin_ui import SEND_PERMISSION
from .forms import ConfirmImportForm, ImportSubscribersForm, SendForm
from .importing import import_subscribers
from .models import NewsletterPage, NewsletterSend

IMPORT_PERMISSION = "newsletters.add_subscriber"


def require_permission(permission: str):
    """Admin access alone is not enough (a send reaches every subscriber): answer 403.

    A plain PermissionDenied would become Wagtail's redirect to the dashboard; editors get a
    page that says which permission they lack instead.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                return TemplateResponse(
                    request,
                    "newsletters/admin/permission_denied.html",
                    {"permission": permission},
                    status=403,
                )
            return view(request, *args, **kwargs)

        return require_admin_access(wrapped)

    return decorator


@require_permission(SEND_PERMISSION)
def send_view(request, page_id):
    page = get_object_or_404(NewsletterPage, pk=page_id).specific
    form = SendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and "test" in request.POST:
        if not request.user.email:
            messages.error(request, _("Din brugerkonto har ingen e-mailadresse."))
        else:
            services.send_test(page, request.user.email)
            messages.success(
                request, _("Testudsendelse sendt til %(email)s.") % {"email": request.user.email}
            )
        return redirect(request.path)
    if request.method == "POST" and form.is_valid():
        try:
            send = services.start_send(
                page,
                lists=list(form.cleaned_data["lists"]),
                scheduled_at=form.cleaned_data["scheduled_at"],
                user=request.user,
            )
        except services.SendError as error:
            messages.error(request, str(error))
            return redirect(request.path)
        if send.scheduled_at <= timezone.now():
            messages.success(request, _("Udsendelsen er startet."))
        else:
            messages.success(request, _("Udsendelsen er planlagt."))
        return redirect("newsletters_send_progress", send_id=send.pk)
    return TemplateResponse(
        request,
        "newsletters/admin/send.html",
        {"page": page, "form": form, "sends": page.sends.all()[:10]},
    )


@require_permission(SEND_PERMISSION)
def progress_view(request, send_id):
    """Read only: the beat marks crashed workers' messages and finished sends. The counts
    follow the send through ``progress_json_view`` (static/newsletters/send-progress.js)."""
    send = get_object_or_404(NewsletterSend, pk=send_id)
    return TemplateResponse(
        request,
        "newsletters/admin/progress.html",
        {"send": send, "progress": services.send_progress(send)},
    )


@never_cache
@require_permission(SEND_PERMISSION)
def progress_json_view(request, send_id):
    send = get_object_or_404(NewsletterSend, pk=send_id)
    return JsonResponse(services.send_progress(send))


def _editable_issue(request, page_id) -> NewsletterPage | None:
    """The issue if the user may edit it now (not locked by someone else), else ``None``."""
    page = get_object_or_404(NewsletterPage, pk=page_id)
    permissions = page.permissions_for_user(request.user)
    lock = page.get_lock()
    if not permissions.can_edit() or (lock and lock.for_user(request.user)):
        return None
    return page


@require_admin_access
def compose_view(request, page_id):
    """Propose what was published since the previous issue; add the ticked pages to the
    issue's draft in the order shown, then back to the editor to reorder and trim."""
    page = _editable_issue(request, page_id)
    if page is None:
        return TemplateResponse(
            request,
            "newsletters/admin/permission_denied.html",
            {"permission": "wagtailcore.change_page"},
            status=403,
        )
    if request.method == "POST":
        added = services.add_to_issue(page, parse_ids(request.POST.getlist("page")), request.user)
        if added:
            messages.success(
                request,
                ngettext(
                    "%(count)d side er tilføjet nyhedsbrevets kladde. Flyt og fjern den her.",
                    "%(count)d sider er tilføjet nyhedsbrevets kladde. Flyt og fjern dem her.",
                    added,
                )
                % {"count": added},
            )
        else:
            messages.warning(request, _("Du valgte ingen af forslagene; intet er ændret."))
        return redirect("wagtailadmin_pages:edit", page.pk)
    return TemplateResponse(
        request,
        "newsletters/admin/compose.html",
        {"page": page, "proposals": services.proposals_for(page)},
    )


def _locale_of_editor_page(request) -> Locale | None:
    """The locale of the page being edited (or created) in the page editor the chooser was
    opened from, read from the Referer; ``None`` when it cannot be told."""
    try:
        match = resolve(urlsplit(request.headers.get("Referer", "")).path)
    except Resolver404:
        return None
    page_id = match.kwargs.get("page_id") or match.kwargs.get("parent_page_id")
    if match.namespace != "wagtailadmin_pages" or not isinstance(page_id, int):
        return None
    page = Page.objects.filter(pk=page_id).select_related("locale").first()
    return page.locale if page else None


def chooser_start_page(page_type: str, locale: Locale) -> Page | None:
    """Where a chooser for ``page_type`` (``app.Model`` names, comma-separated) starts: the
    index those pages live under in ``locale`` (or in any locale when that one has none);
    ``None`` for Wagtail's own choice."""
    try:
        models = page_models_from_string(page_type) if page_type else ()
    except (ValueError, LookupError):
        return None
    parents = {parent for model in models for parent in model.allowed_parent_page_models()}
    if not parents or Page in parents:
        return None
    indexes = Page.objects.type(*parents)
    for candidates in (indexes.filter(locale=locale), indexes):
        if len(candidates[:2]) == 1:
            return candidates.first()
        if candidates.exists():
            return candidates.first_common_ancestor(include_self=True)
    return None


def choose_page(request, parent_page_id=None):
    """Wagtail's page chooser (``BrowseView``), starting at the index of the wanted type in
    the edited page's language rather than at the root. Once a page is chosen, the chooser
    opens where that page lives (``parent_page_id``), as Wagtail's does."""
    if parent_page_id is None:
        locale = _locale_of_editor_page(request) or Locale.get_active()
        start = chooser_start_page(request.GET.get("page_type", ""), locale)
        parent_page_id = start.pk if start else None
    return BrowseView.as_view()(request, parent_page_id=parent_page_id)


@require_POST
@require_permission(SEND_PERMISSION)
def resend_unknown_view(request, send_id):
    """One action, after the editor checked: send the ``unknown`` messages once more."""
    send = get_object_or_404(NewsletterSend, pk=send_id)
    count = services.resend_unknown(send)
    messages.success(request, _("%(count)d e-mails sendes igen.") % {"count": count})
    return redirect("newsletters_send_progress", send_id=send.pk)


@require_permission(IMPORT_PERMISSION)
def import_view(request):
    """Upload a CSV, preview what would be rejected, then import all rows or none."""
    confirming = request.method == "POST" and "confirm" in request.POST
    uploading = request.method == "POST" and not confirming
    form = ImportSubscribersForm(
        request.POST if uploading else None, request.FILES if uploading else None
    )
    context = {"form": form}
    if confirming:
        text, filename = request.POST.get("csv_text", ""), request.POST.get("filename", "")
        imported, errors = import_subscribers(
            text, source=f"admin-import:{filename} ({request.user.get_username()})"
        )
        if not errors:
            messages.success(
                request, _("%(count)d abonnenter er importeret.") % {"count": imported}
            )
            return redirect("newsletters_subscriber_modeladmin_index")
        context.update(errors=errors, valid=0, filename=filename)
    elif uploading and form.is_valid():
        text, filename = form.cleaned_data["file"], form.cleaned_data["filename"]
        valid, errors = import_subscribers(text, source="", dry_run=True)
        context.update(
            errors=errors,
            valid=valid,
            filename=filename,
            # Carried to the confirming POST; it is validated again there, all or nothing.
            confirm_form=None
            if errors
            else ConfirmImportForm(initial={"csv_text": text, "filename": filename}),
        )
    return TemplateResponse(request, "newsletters/admin/import.html", context)
