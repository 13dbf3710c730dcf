"""Accessibility checks for the browser journeys: axe-core (npm) run in Debian's Chromium.

``assert_accessible(page, name)`` runs axe-core's WCAG 2.0/2.1 A and AA rules on the page
as it is, fails on any serious or critical violation and leaves the full axe report and a
screenshot in ``tests/artefacts/<name>.{json,png}`` for a person to look at.

axe-core comes from package.json (``npm ci``; ``python3 dev.py test`` runs it). Without it
the test skips with a reason on a developer's machine and fails under CI.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from tests.conftest import require

ROOT = Path(__file__).resolve().parent.parent
ARTEFACTS = Path(__file__).resolve().parent / "artefacts"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}

# Colours are only measurable once fade-ins (e.g. Wagtail's messages) have finished; long or
# endless animations (Wagtail's pulsing badge) are not waited for.
RUN_AXE = """async (options) => {
  const endingSoon = document.getAnimations().filter((a) => {
    if (a.playState !== "running" || !a.effect) return false;
    return a.effect.getComputedTiming().endTime - (a.currentTime || 0) <= 2000;
  });
  await Promise.all(endingSoon.map((a) => a.finished.catch(() => null)));
  return await window.axe.run(document, options);
}"""


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def _inject_axe(page) -> None:
    require(AXE_JS.exists(), f"needs axe-core at {AXE_JS.relative_to(ROOT)} (run `npm ci`)")
    if page.evaluate("typeof window.axe === 'undefined'"):
        # Not add_script_tag: that inserts an inline <script>, which the public site's CSP
        # (no 'unsafe-inline') blocks. evaluate() runs through DevTools, outside the CSP.
        page.evaluate(_axe_source())


def _target(node: dict) -> str:
    return " ".join(map(str, node["target"]))


def _describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = [_target(node) for node in violation["nodes"]]
        shown = ", ".join(targets[:5]) + (
            f" (+{len(targets) - 5} more)" if len(targets) > 5 else ""
        )
        lines.append(f"- {violation['id']} [{violation['impact']}] {violation['help']}: {shown}")
    return "\n".join(lines)


def save_screenshot(page, name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_accessible(page, name: str, *, upstream: tuple[tuple[str, str], ...] = ()) -> dict:
    """No serious or critical WCAG 2.1 A/AA violation on the current page; report + screenshot.

    ``upstream`` names (rule id, CSS target) pairs of known violations in markup that is not
    ours (Wagtail's admin widgets): they stay in the JSON report but do not fail the test.
    """
    _inject_axe(page)
    results = page.evaluate(
        RUN_AXE,
        {
            "runOnly": {"type": "tag", "values": WCAG_AA_TAGS},
            "resultTypes": ["violations", "incomplete"],
            # Third-party embeds (video) are not ours to fix and do not load offline.
            "iframes": False,
        },
    )
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / f"{name}.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    save_screenshot(page, name)
    tolerated = set(upstream)
    blocking = [
        {**v, "nodes": nodes}
        for v in results["violations"]
        if v["impact"] in BLOCKING_IMPACTS
        and (nodes := [n for n in v["nodes"] if (v["id"], _target(n)) not in tolerated])
    ]
    assert not blocking, (
        f"axe found serious/critical WCAG 2.1 AA violations on {name} ({page.url}):\n"
        + _describe(blocking)
    )
    return results
