"""Building blocks for the panels apps add to the Wagtail admin's dashboard.

Each app owns its panels (``<app>/admin_panels.py``) and adds them with the
``construct_homepage_panels`` hook; a panel is only added for users holding one of its
``permissions``. ``bar_chart`` lays out a small server-rendered SVG chart (no scripts, no
inline styles: the admin's Content Security Policy allows neither).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from wagtail.admin.ui.components import Component


class DashboardPanel(Component):
    """A dashboard panel shown to users holding any of ``permissions``."""

    permissions: tuple[str, ...] = ()

    @classmethod
    def is_shown(cls, user) -> bool:
        return any(user.has_perm(permission) for permission in cls.permissions)

    @classmethod
    def add_to(cls, request, panels) -> None:
        """The hook's one line: append the panel when ``request.user`` may see it."""
        if cls.is_shown(request.user):
            panels.append(cls())


def month_starts(count: int = 12, today: datetime.date | None = None) -> list[datetime.date]:
    """The first days of the last ``count`` months, oldest first, this month last."""
    today = today or timezone.localdate()
    year, month = today.year, today.month
    starts = []
    for _ in range(count):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def next_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


@dataclass
class Bar:
    label: str
    value: int
    x: float
    y: float
    height: float
    line_value: int | None = None
    line_y: float | None = None


CHART_WIDTH = 480
CHART_HEIGHT = 160
CHART_TOP = 10
CHART_BOTTOM = 24  # room for the month labels


def bar_chart(labels, values, line_values=None) -> dict:
    """Geometry for an SVG bar chart (``values``) with an optional line (``line_values``) on
    the same scale: one bar and one point per label."""
    line_values = list(line_values) if line_values is not None else None
    highest = max([*values, *(line_values or []), 1])
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    slot = CHART_WIDTH / max(len(values), 1)
    bars = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        height = round(plot_height * value / highest, 1)
        bar = Bar(
            label=label,
            value=value,
            x=round(index * slot + slot * 0.15, 1),
            y=round(CHART_TOP + plot_height - height, 1),
            height=height,
        )
        if line_values is not None:
            bar.line_value = line_values[index]
            bar.line_y = round(CHART_TOP + plot_height - plot_height * bar.line_value / highest, 1)
        bars.append(bar)
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "bar_width": round(slot * 0.7, 1),
        "baseline": CHART_TOP + plot_height,
        "label_y": CHART_HEIGHT - 6,
        "highest": highest,
        "line_points": " ".join(
            f"{round(bar.x + slot * 0.35, 1)},{bar.line_y}"
            for bar in bars
            if bar.line_y is not None
        ),
        "half_bar": round(slot * 0.35, 1),
    }
