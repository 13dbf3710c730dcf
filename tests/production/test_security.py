"""Production hardening: deploy checks, security headers, CSP split public/admin, uploads."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_passes_without_warnings_with_production_environment():
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))},
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "example.dk",
        "BASE_URL": "https://example.dk",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.strip().split(" ", 1)[0]: part.strip() for part in header.split(";") if part.strip()
    }


@pytest.mark.django_db
def test_public_pages_carry_strict_csp_and_security_headers(client, home_page):
    response = client.get("/")

    assert response.status_code == 200
    policy = _policy(response)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert policy["script-src"] == "script-src 'self'"
    assert policy["object-src"] == "object-src 'none'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


# Under the strict public CSP (script-src 'self', no 'unsafe-inline') the browser would refuse
# these. A ``<script>`` with a ``src``, or a non-executable data block (JSON-LD), is fine.
_SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
_DATA_BLOCK = re.compile(r"""\btype\s*=\s*["']?application/(ld\+)?json""", re.IGNORECASE)
_STYLE_BLOCK = re.compile(r"<style\b", re.IGNORECASE)
_STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*?\sstyle\s*=", re.IGNORECASE)
_EVENT_HANDLER = re.compile(r"<[a-z][^>]*?\son[a-z]+\s*=", re.IGNORECASE)


def inline_code(html: str) -> list[str]:
    """The inline scripts, inline styles and event-handler attributes in ``html``."""
    found = [
        match.group(0)
        for match in _SCRIPT_TAG.finditer(html)
        if not re.search(r"\bsrc\s*=", match.group(1)) and not _DATA_BLOCK.search(match.group(1))
    ]
    for pattern in (_STYLE_BLOCK, _STYLE_ATTRIBUTE, _EVENT_HANDLER):
        found += [match.group(0)[:120] for match in pattern.finditer(html)]
    return found


def test_the_inline_code_finder_finds_what_the_csp_blocks():
    assert inline_code('<script src="/static/a.js" defer></script>') == []
    assert inline_code('<script type="application/ld+json">{"a": 1}</script>') == []
    assert inline_code("<p>style=bold is text</p>") == []
    assert len(inline_code("<script>alert(1)</script>")) == 1
    assert len(inline_code('<script type="module">x()</script>')) == 1
    assert len(inline_code('<div class="a" style="color:red">')) == 1
    assert len(inline_code("<style>p{}</style>")) == 1
    assert len(inline_code('<button type="button" onclick="go()">')) == 1


@pytest.fixture
def demo_urls(db) -> dict[str, str]:
    from cases.models import CaseIndexPage, CasePage
    from events.models import EventPage
    from home.demo import load_demo_content
    from home.models import NewsIndexPage, NewsPage
    from resources.models import LibraryPage, ResourcePage

    load_demo_content()

    def first(model) -> str:
        return model.objects.live().filter(locale__language_code="da").first().url

    return {
        "home": "/",
        "news index": first(NewsIndexPage),
        "news post": first(NewsPage),
        "event page": first(EventPage),
        "case index": first(CaseIndexPage),
        "case page": first(CasePage),
        "library": first(LibraryPage),
        "resource page": first(ResourcePage),
        "library search": f"{first(LibraryPage)}?q=innovation",
        "site search": "/soeg/?q=innovation",
        "login": "/medlemmer/log-ind/",
        "newsletter signup": "/nyhedsbrev/tilmeld/",
    }


@pytest.mark.django_db
def test_public_templates_have_no_inline_script_or_style(client, demo_urls):
    found = {}
    for name, url in demo_urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, url)
        html = response.content.decode()
        assert "</main>" in html and "</footer>" in html, (name, url)  # a whole page
        if inline_code(html):
            found[name] = inline_code(html)

    assert found == {}


@pytest.mark.django_db
def test_wagtail_admin_gets_its_own_looser_policy(client, home_page):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert "script-src 'self' 'unsafe-inline'" in response["Content-Security-Policy"]
    # Live preview frames admin URLs inside the admin.
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_production_flags_in_settings_module():
    """HSTS and secure cookies switch on with a real SECRET_KEY and DEBUG off."""
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_SSL_REDIRECT, s.ADMIN_2FA_REQUIRED, s.STORAGES['staticfiles']['BACKEND'],"
        " s.WAGTAIL_PRIVATE_PAGE_OPTIONS['SHARED_PASSWORD'],"
        " s.LOGGING['handlers']['console']['formatter'])"
    )
    env = {
        **os.environ,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "example.dk",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    out = subprocess.run(
        [sys.executable, "-c", f"import django;django.setup();{code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()
    assert out == [
        "31536000",
        "True",
        "True",
        "True",
        "True",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "False",
        "json",
    ]


# --- Uploads: allow-lists and size limits ---------------------------------------------------


@pytest.mark.django_db
def test_document_upload_rejects_executables_and_scripts():
    from wagtail.documents.forms import get_document_form
    from wagtail.documents.models import Document

    form_class = get_document_form(Document)
    for name in ("virus.exe", "page.html", "tool.sh", "image.svg"):
        form = form_class(
            data={"title": name},
            files={"file": SimpleUploadedFile(name, b"payload")},
        )
        assert not form.is_valid(), name
        assert "file" in form.errors

    ok = form_class(
        data={"title": "Rapport"},
        files={"file": SimpleUploadedFile("rapport.pdf", b"%PDF-1.4 ...")},
    )
    assert ok.is_valid(), ok.errors


@pytest.mark.django_db
def test_image_upload_rejects_svg_and_oversized_files(settings):
    from wagtail.images.fields import WagtailImageField

    field = WagtailImageField()
    with pytest.raises(ValidationError) as svg:
        field.clean(SimpleUploadedFile("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"))
    assert "svg" in str(svg.value).lower() or "format" in str(svg.value).lower()

    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 1024
    field = WagtailImageField()
    with pytest.raises(ValidationError) as big:
        field.clean(SimpleUploadedFile("huge.png", b"\x89PNG" + b"0" * 4096))
    assert "too big" in str(big.value).lower() or "for stor" in str(big.value).lower()


@pytest.mark.django_db
def test_document_upload_over_the_size_limit_is_refused(settings):
    from wagtail.documents.forms import get_document_form
    from wagtail.documents.models import Document

    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    form = get_document_form(Document)(
        data={"title": "Stor rapport"},
        files={"file": SimpleUploadedFile("stor.pdf", b"%PDF" + b"0" * 4096)},
    )

    assert not form.is_valid()
    assert "too big" in str(form.errors["file"]).lower()
    assert Document.objects.count() == 0


def test_shared_password_restrictions_are_switched_off(settings):
    assert settings.WAGTAIL_PRIVATE_PAGE_OPTIONS == {"SHARED_PASSWORD": False}
    assert settings.WAGTAILDOCS_PRIVATE_COLLECTION_OPTIONS == {"SHARED_PASSWORD": False}
