"""Admin views of newsletters: send an issue, follow a send, import subscribers.

Registered by ``wagtail_hooks`` (through ``admin_urls``); the rules live in ``services``.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.auth import require_admin_access

from . import services
from .forms import ConfirmImportForm, ImportSubscribersForm, SendForm
from .importing import import_subscribers
from .models import NewsletterPage, NewsletterSend

SEND_PERMISSION = "newsletters.send_newsletter"
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
    """Read only: the beat marks crashed workers' messages and finished sends."""
    send = get_object_or_404(NewsletterSend, pk=send_id)
    progress = send.progress()
    return TemplateResponse(
        request,
        "newsletters/admin/progress.html",
        {
            "send": send,
            "progress": progress,
            "remaining": progress["pending"] + progress["sending"],
            "total": sum(progress.values()),
        },
    )


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
