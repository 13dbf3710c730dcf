from functools import wraps

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.auth import require_admin_access
from wagtail.admin.widgets import Button
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from config.background import BROKER_ERRORS

from . import services
from .forms import ConfirmImportForm, ImportSubscribersForm, SendForm
from .importing import import_subscribers
from .models import NewsletterList, NewsletterPage, NewsletterSend, Subscriber
from .tasks import send_newsletter

SEND_PERMISSION = "newsletters.send_newsletter"
IMPORT_PERMISSION = "newsletters.add_subscriber"


class SubscriberAdmin(ModelAdmin):
    model = Subscriber
    menu_icon = "user"
    list_display = ("email", "name", "status", "created_at", "confirmed_at")
    list_filter = ("status", "lists")
    search_fields = ("email", "name")
    list_export = ("email", "name", "status", "created_at", "confirmed_at", "unsubscribed_at")
    export_filename = "abonnenter"
    inspect_view_enabled = True
    index_template_name = "newsletters/admin/subscriber_index.html"


class NewsletterListAdmin(ModelAdmin):
    model = NewsletterList
    menu_icon = "list-ul"
    menu_label = gettext_lazy("Lister")
    list_display = ("name", "slug", "is_default", "subscriber_count")
    search_fields = ("name", "description")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_subscribers=Count("subscribers"))

    @staticmethod
    def subscriber_count(obj):
        return obj.n_subscribers

    subscriber_count.short_description = gettext_lazy("abonnenter")


class SendAdmin(ModelAdmin):
    model = NewsletterSend
    menu_icon = "mail"
    menu_label = gettext_lazy("Udsendelser")
    list_display = ("subject", "status", "scheduled_at", "started_at", "finished_at")
    list_filter = ("status",)
    inspect_view_enabled = True


@modeladmin_register
class NewsletterAdminGroup(ModelAdminGroup):
    menu_label = gettext_lazy("Nyhedsbrev")
    menu_icon = "mail"
    menu_order = 270
    items = (SubscriberAdmin, NewsletterListAdmin, SendAdmin)


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


def _start(request, send: NewsletterSend) -> None:
    """Start a send now; with the broker down the beat task starts it within a minute."""
    try:
        send_newsletter.delay(send.pk)
    except BROKER_ERRORS:
        messages.warning(
            request, _("Køen svarer ikke lige nu: udsendelsen starter automatisk om lidt.")
        )


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
        if not page.live:
            messages.error(request, _("Udgiv nyhedsbrevet, før det sendes."))
            return redirect(request.path)
        scheduled_at = form.cleaned_data["scheduled_at"]
        send = services.create_send(
            page,
            lists=list(form.cleaned_data["lists"]),
            scheduled_at=scheduled_at,
            user=request.user,
        )
        if scheduled_at is None or scheduled_at <= timezone.now():
            _start(request, send)
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
    send = get_object_or_404(NewsletterSend, pk=send_id)
    if send.status == NewsletterSend.Status.SENDING:
        # Rows of a crashed worker become "unknown" here too, not only when a worker looks.
        services.finish_if_done(send)
        send.refresh_from_db()
    progress = send.progress()
    return TemplateResponse(
        request,
        "newsletters/admin/progress.html",
        {
            "send": send,
            "progress": progress,
            "remaining": progress["queued"] + progress["sending"],
            "total": sum(progress.values()),
        },
    )


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


@hooks.register("register_admin_urls")
def register_newsletter_admin_urls():
    return [
        path("nyhedsbrev/send/<int:page_id>/", send_view, name="newsletters_send"),
        path(
            "nyhedsbrev/udsendelse/<int:send_id>/", progress_view, name="newsletters_send_progress"
        ),
        path("nyhedsbrev/abonnenter/import/", import_view, name="newsletters_import_subscribers"),
    ]


@hooks.register("register_page_header_buttons")
def send_newsletter_button(page, user, view_name=None, next_url=None):
    if isinstance(page.specific_deferred, NewsletterPage) and user.has_perm(SEND_PERMISSION):
        yield Button(
            _("Send nyhedsbrev"),
            reverse("newsletters_send", args=[page.pk]),
            icon_name="mail",
            priority=5,
        )
