from django.contrib import messages
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

from . import services
from .forms import SendForm
from .models import NewsletterPage, NewsletterSend, Subscriber
from .tasks import send_newsletter


class SubscriberAdmin(ModelAdmin):
    model = Subscriber
    menu_icon = "user"
    list_display = ("email", "name", "status", "created_at", "confirmed_at")
    list_filter = ("status", "lists")
    search_fields = ("email", "name")
    list_export = ("email", "name", "status", "created_at", "confirmed_at", "unsubscribed_at")
    export_filename = "abonnenter"
    inspect_view_enabled = True


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
    items = (SubscriberAdmin, SendAdmin)


@require_admin_access
def send_view(request, page_id):
    page = get_object_or_404(NewsletterPage, pk=page_id).specific
    form = SendForm(request.POST or None)
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
            send_newsletter.delay(send.pk)
        messages.success(
            request,
            _("Udsendelsen er startet.") if scheduled_at is None else _("Udsendelsen er planlagt."),
        )
        return redirect("newsletters_send_progress", send_id=send.pk)
    return TemplateResponse(
        request,
        "newsletters/admin/send.html",
        {"page": page, "form": form, "sends": page.sends.all()[:10]},
    )


@require_admin_access
def progress_view(request, send_id):
    send = get_object_or_404(NewsletterSend, pk=send_id)
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


@hooks.register("register_admin_urls")
def register_newsletter_admin_urls():
    return [
        path("nyhedsbrev/send/<int:page_id>/", send_view, name="newsletters_send"),
        path(
            "nyhedsbrev/udsendelse/<int:send_id>/", progress_view, name="newsletters_send_progress"
        ),
    ]


@hooks.register("register_page_header_buttons")
def send_newsletter_button(page, user, view_name=None, next_url=None):
    if isinstance(page.specific_deferred, NewsletterPage):
        yield Button(
            _("Send nyhedsbrev"),
            reverse("newsletters_send", args=[page.pk]),
            icon_name="mail",
            priority=5,
        )
