"""Flat illustrations for the demo content, drawn here with Pillow (no downloads, no stock).

A town of gabled houses and a town hall under a soft sky, trees, and people gathered in
small groups: the network's subject (municipalities and their citizens). Each title gives
its own arrangement. Licence: the project's own (see site/static/LICENSES.md).
"""

from __future__ import annotations

import hashlib
import io
import random

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1200, 675
SCALE = 2  # drawn at twice the size and scaled down: smooth edges without an anti-aliasing API

SKIN = [(241, 200, 160), (224, 172, 130), (198, 134, 90), (141, 85, 36), (255, 219, 180)]
CLOTHES = [
    (232, 183, 58),
    (11, 94, 85),
    (196, 85, 60),
    (64, 96, 160),
    (120, 150, 80),
    (90, 60, 110),
]


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def illustration(title: str, colour: tuple[int, int, int], accent: tuple[int, int, int]) -> bytes:
    """A PNG illustration for ``title`` in the given main colour and accent."""
    rng = random.Random(hashlib.sha256(title.encode()).hexdigest())
    w, h = WIDTH * SCALE, HEIGHT * SCALE
    img = Image.new("RGB", (w, h))
    draw = ImageDraw.Draw(img)
    sky_top, sky_bottom = _mix(colour, (255, 255, 255), 0.55), _mix(colour, (255, 255, 255), 0.85)
    for y in range(h):
        draw.line([(0, y), (w, y)], fill=_mix(sky_top, sky_bottom, y / h))
    # Sun and soft clouds
    sx, sy, sr = rng.randint(w // 2, w - 200), rng.randint(120, 320), 110
    draw.ellipse((sx - sr, sy - sr, sx + sr, sy + sr), fill=_mix(accent, (255, 255, 255), 0.3))
    for _ in range(3):
        cx, cy = rng.randint(0, w), rng.randint(80, h // 3)
        for dx, r in ((0, 70), (80, 95), (170, 65)):
            draw.ellipse((cx + dx - r, cy - r, cx + dx + r, cy + r // 2 + 20), fill=(255, 255, 255))
    ground = int(h * 0.72)
    # Rolling hill behind the town
    draw.ellipse(
        (-w // 2, ground - 260, w + w // 2, ground + 500), fill=_mix(colour, (120, 170, 110), 0.5)
    )
    # Houses and a town hall with a tower
    x = rng.randint(-60, 40)
    hall_at = rng.randint(2, 4)
    for i in range(9):
        bw = rng.randint(170, 260)
        if i == hall_at:
            bw, bh = 360, 330
        else:
            bh = rng.randint(170, 280)
        wall = _mix(
            rng.choice([(236, 226, 208), (214, 120, 90), (238, 200, 120), (200, 210, 215)]),
            colour,
            0.12,
        )
        top = ground - bh
        draw.rectangle((x, top, x + bw, ground), fill=wall)
        roof = _mix(colour, (40, 40, 40), 0.45)
        draw.polygon([(x - 14, top), (x + bw // 2, top - bw // 2.6), (x + bw + 14, top)], fill=roof)
        if i == hall_at:
            tx = x + bw // 2 - 40
            draw.rectangle((tx, top - 260, tx + 80, top), fill=wall)
            draw.polygon(
                [(tx - 10, top - 260), (tx + 40, top - 360), (tx + 90, top - 260)], fill=roof
            )
            draw.ellipse(
                (tx + 18, top - 230, tx + 62, top - 186),
                fill=(255, 255, 255),
                outline=roof,
                width=6,
            )
            draw.rectangle((x + bw // 2 - 40, ground - 120, x + bw // 2 + 40, ground), fill=roof)
        window = _mix(accent, (255, 255, 255), 0.45)
        for wy in range(top + 40, ground - 90, 80):
            for wx in range(x + 30, x + bw - 50, 70):
                draw.rectangle((wx, wy, wx + 36, wy + 46), fill=window)
        x += bw + rng.randint(10, 40)
        if x > w:
            break
    # Ground and path
    draw.rectangle((0, ground, w, h), fill=_mix(colour, (110, 160, 90), 0.35))
    draw.polygon(
        [(w * 0.35, h), (w * 0.48, ground), (w * 0.56, ground), (w * 0.75, h)], fill=(228, 220, 200)
    )
    # Trees
    for _ in range(rng.randint(3, 6)):
        tx, tr = rng.randint(0, w), rng.randint(60, 100)
        draw.rectangle((tx - 12, ground - 40, tx + 12, ground + 60), fill=(110, 80, 50))
        draw.ellipse(
            (tx - tr, ground - 40 - 2 * tr, tx + tr, ground - 20),
            fill=_mix(colour, (60, 130, 70), 0.6),
        )
    # People gathered in small groups
    groups = rng.randint(2, 3)
    for g in range(groups):
        gx = int(w * (g + 0.5) / groups) + rng.randint(-80, 80)
        gy = ground + rng.randint(150, 260)
        for p in range(rng.randint(2, 4)):
            px = gx + (p - 1.5) * 95 + rng.randint(-15, 15)
            scale = rng.uniform(0.9, 1.15)
            body, head = int(110 * scale), int(34 * scale)
            shirt = rng.choice(CLOTHES)
            draw.rounded_rectangle(
                (px - 38 * scale, gy - body, px + 38 * scale, gy + 30), radius=34, fill=shirt
            )
            draw.ellipse(
                (px - head, gy - body - 2 * head - 4, px + head, gy - body - 4),
                fill=rng.choice(SKIN),
            )
    out = img.resize((WIDTH, HEIGHT), Image.LANCZOS)
    buffer = io.BytesIO()
    out.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
