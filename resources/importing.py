"""Import cases and resources from CSV: every row validated, nothing half-imported.

Rows are validated with a form per kind; the report lists each rejected row with its line
number and reasons. Pages are created only when every row is valid (or, with
``skip_invalid``, the valid rows), all inside one transaction, and published.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from django import forms
from django.db import transaction
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cases.models import CaseIndexPage, CasePage
from taxonomy.models import Actor, Theme

from .models import LibraryPage, ResourcePage

TRUE_VALUES = {"1", "ja", "yes", "true", "x"}
FALSE_VALUES = {"", "0", "nej", "no", "false"}


class SlugListField(forms.CharField):
    """``a;b;c`` -> model instances, every slug must exist."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(required=False, **kwargs)

    def clean(self, value):
        slugs = [s.strip() for s in (super().clean(value) or "").split(";") if s.strip()]
        found = {obj.slug: obj for obj in self.model.objects.filter(slug__in=slugs)}
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            raise forms.ValidationError(_("Ukendt: %(slugs)s") % {"slugs": ", ".join(unknown)})
        return [found[slug] for slug in slugs]


class YesNoField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def clean(self, value):
        value = (value or "").strip().lower()
        if value in TRUE_VALUES:
            return True
        if value in FALSE_VALUES:
            return False
        raise forms.ValidationError(_("Skriv ja eller nej."))


class CaseRowForm(forms.Form):
    title = forms.CharField(max_length=255)
    slug = forms.SlugField(required=False)
    summary = forms.CharField()
    stage = forms.ChoiceField(choices=CasePage.Stage.choices)
    scope = forms.ChoiceField(choices=CasePage.Scope.choices)
    municipality = forms.CharField(required=False, max_length=100)
    country = forms.CharField(max_length=100)
    themes = SlugListField(Theme)
    actors = SlugListField(Actor)
    challenge = forms.CharField(required=False)
    solution = forms.CharField(required=False)
    results = forms.CharField(required=False)
    partners = forms.CharField(required=False)
    contact_name = forms.CharField(required=False, max_length=200)
    contact_email = forms.EmailField(required=False)
    members_only = YesNoField()

    def clean(self):
        data = super().clean()
        if data.get("scope") == CasePage.Scope.NATIONAL and not data.get("municipality"):
            self.add_error("municipality", _("En dansk case skal have en kommune."))
        return data


class ResourceRowForm(forms.Form):
    title = forms.CharField(max_length=255)
    slug = forms.SlugField(required=False)
    resource_type = forms.ChoiceField(choices=ResourcePage.ResourceType.choices)
    authors = forms.CharField(required=False, max_length=300)
    publisher = forms.CharField(required=False, max_length=200)
    year = forms.IntegerField(
        required=False, min_value=1900, max_value=datetime.date.today().year + 1
    )
    language = forms.ChoiceField(choices=ResourcePage.Language.choices)
    themes = SlugListField(Theme)
    abstract = forms.CharField()
    body = forms.CharField(required=False)
    external_url = forms.URLField(required=False, assume_scheme="https")
    members_only = YesNoField()

    def clean(self):
        data = super().clean()
        if data.get("resource_type") in {"link", "video"} and not data.get("external_url"):
            self.add_error("external_url", _("Hjemmesider og videoer skal have en adresse."))
        return data


KINDS = {
    "cases": (CaseRowForm, CaseIndexPage, CasePage, ("challenge", "solution", "results")),
    "resources": (ResourceRowForm, LibraryPage, ResourcePage, ("body",)),
}


@dataclass
class ImportReport:
    kind: str
    valid_rows: int = 0
    created: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    written: bool = False

    def lines(self) -> list[str]:
        status = _("skrevet") if self.written else _("intet skrevet")
        lines = [
            _(
                "%(kind)s: %(valid)d gyldige rækker, %(bad)d afvist, "
                "%(created)d oprettet (%(status)s)"
            )
            % {
                "kind": self.kind,
                "valid": self.valid_rows,
                "bad": len(self.rejected),
                "created": self.created,
                "status": status,
            }
        ]
        lines += [
            _("  linje %(line)d: %(reason)s") % {"line": line, "reason": reason}
            for line, reason in self.rejected
        ]
        return lines


def _errors(form) -> str:
    return "; ".join(
        f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
        for name, messages in form.errors.items()
    )


def import_csv(
    text: str, kind: str, *, dry_run: bool = False, skip_invalid: bool = False
) -> ImportReport:
    """Validate every row of ``text`` (CSV with a header row) and import them as ``kind``."""
    form_class, index_model, page_model, rich_fields = KINDS[kind]
    report = ImportReport(kind=kind)
    index_page = index_model.objects.first()
    if index_page is None:
        report.rejected.append(
            (
                1,
                _("Der findes ingen %(index)s at importere til.")
                % {"index": index_model._meta.verbose_name},
            )
        )
        return report

    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [
        name
        for name, f in form_class.base_fields.items()
        if f.required and name not in (reader.fieldnames or [])
    ]
    if missing:
        report.rejected.append((1, _("Mangler kolonner: %(cols)s") % {"cols": ", ".join(missing)}))
        return report

    existing = set(page_model.objects.child_of(index_page).values_list("slug", flat=True))
    seen: set[str] = set()
    valid: list[dict] = []
    for line, row in enumerate(reader, start=2):
        form = form_class(data={k: (v or "").strip() for k, v in row.items() if k})
        if not form.is_valid():
            report.rejected.append((line, _errors(form)))
            continue
        data = form.cleaned_data
        data["slug"] = data.get("slug") or slugify(data["title"])[:80]
        if data["slug"] in existing or data["slug"] in seen:
            report.rejected.append(
                (line, _("slug findes allerede: %(slug)s") % {"slug": data["slug"]})
            )
            continue
        seen.add(data["slug"])
        valid.append(data)
    report.valid_rows = len(valid)

    if dry_run or (report.rejected and not skip_invalid):
        return report

    with transaction.atomic():
        for data in valid:
            relations = {name: data.pop(name) for name in ("themes", "actors") if name in data}
            for name in rich_fields:
                if data.get(name):
                    data[name] = "".join(f"<p>{escape(p)}</p>" for p in data[name].split("\n\n"))
            page = page_model(**data)
            for name, values in relations.items():
                setattr(page, name, values)
            index_page.add_child(instance=page)
            page.save_revision().publish()
            report.created += 1
    report.written = True
    return report
