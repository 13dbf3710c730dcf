"""The newsletters' panels on the admin dashboard: sends in progress, subscriber growth."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from alerts.models import AlertSubscription
from core import outbox
from core.admin_panels import DashboardPanel, bar_chart, month_starts, next_month

from .models import NewsletterSend, Subscriber

SENDS_LIMIT = 5
SUPPRESSED = (Subscriber.Status.BOUNCED, Subscriber.Status.COMPLAINED)


class SendsInProgressPanel(DashboardPanel):
    """Sends scheduled or running, with their outbox progress (two queries for all)."""

    name = "newsletter_sends_in_progress"
    template_name = "newsletters/admin/dashboard_sends.html"
    order = 140
    permissions = ("newsletters.send_newsletter",)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        sends = list(
            NewsletterSend.objects.filter(
                status__in=(NewsletterSend.Status.SCHEDULED, NewsletterSend.Status.SENDING)
            ).order_by("scheduled_at", "pk")[:SENDS_LIMIT]
        )
        progress = outbox.progress_of_groups(f"newsletter:{send.pk}" for send in sends)
        for send in sends:
            counts = progress[f"newsletter:{send.pk}"]
            send.total = sum(counts.values())
            send.done = counts["sent"] + counts["failed"] + counts["skipped"] + counts["unknown"]
            send.progress_url = reverse("newsletters_send_progress", args=[send.pk])
        context.update(heading=_("Udsendelser af nyhedsbreve"), sends=sends)
        return context


def _month_end(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(next_month(day), datetime.time.min))


def active_at_month_ends(queryset, months) -> list[int]:
    """How many of ``queryset`` had confirmed and not unsubscribed at the end of each month:
    one query for all months."""
    ends = [_month_end(month) for month in months]
    counts = queryset.aggregate(
        **{
            f"m{index}": Count(
                "pk",
                filter=Q(confirmed_at__lt=end)
                & (Q(unsubscribed_at__isnull=True) | Q(unsubscribed_at__gte=end)),
            )
            for index, end in enumerate(ends)
        }
    )
    return [counts[f"m{index}"] for index in range(len(ends))]


def subscriber_growth(months=None) -> dict:
    """Newsletter subscribers and post-alert subscribers at the end of each of the last 12
    months. Bounced and complaining addresses are left out of every month (when they were
    suppressed is not recorded on the subscriber)."""
    months = months or month_starts(12)
    return {
        "months": months,
        "newsletter": active_at_month_ends(
            Subscriber.objects.exclude(status__in=SUPPRESSED), months
        ),
        "alerts": active_at_month_ends(AlertSubscription.objects.all(), months),
    }


class SubscriberGrowthPanel(DashboardPanel):
    name = "subscriber_growth"
    template_name = "newsletters/admin/dashboard_growth.html"
    order = 150
    permissions = ("newsletters.view_subscriber", "newsletters.change_subscriber")

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        growth = subscriber_growth()
        labels = [date_format(month, "M") for month in growth["months"]]
        chart = bar_chart(labels, growth["newsletter"], growth["alerts"])
        rows = [
            {
                "month": date_format(month, "F Y"),
                "newsletter": newsletter,
                "alerts": alerts,
            }
            for month, newsletter, alerts in zip(
                growth["months"], growth["newsletter"], growth["alerts"], strict=True
            )
        ]
        context.update(
            heading=_("Abonnenter de seneste 12 måneder"),
            chart=chart,
            rows=rows,
            first=rows[0],
            last=rows[-1],
        )
        return context
