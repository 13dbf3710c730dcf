"""Import subscribers from CSV (``email,name,lists``): validated row by row, all or nothing.

Imported addresses come from an earlier list whose consent the network holds; each gets a
consent record naming the file, so the origin of the consent stays documented.
"""

from __future__ import annotations

import csv
import io

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from .models import ConsentRecord, NewsletterList, Subscriber
from .services import default_lists

# Never resubscribed by an import: people who left, and addresses that bounced or complained.
STAYS_AWAY = (
    Subscriber.Status.BOUNCED,
    Subscriber.Status.COMPLAINED,
    Subscriber.Status.UNSUBSCRIBED,
)


def import_subscribers(text: str, *, source: str, dry_run: bool = False) -> tuple[int, list[str]]:
    """Returns (imported, errors); with any error nothing is written.

    A dry run writes nothing and returns how many subscribers an import would add or
    activate (addresses that left or are suppressed are skipped, as in the import).
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if "email" not in (reader.fieldnames or []):
        return 0, [_("linje 1: mangler kolonnen email")]
    lists_by_slug = {lst.slug: lst for lst in NewsletterList.objects.all()}
    rows, errors, seen = [], [], set()
    for line, row in enumerate(reader, start=2):
        email = (row.get("email") or "").strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                _("linje %(line)d: ugyldig e-mail: %(email)s")
                % {"line": line, "email": repr(email)}
            )
            continue
        if email in seen:
            errors.append(
                _("linje %(line)d: %(email)s står flere gange i filen")
                % {"line": line, "email": email}
            )
            continue
        seen.add(email)
        slugs = [s.strip() for s in (row.get("lists") or "").split(";") if s.strip()]
        unknown = [s for s in slugs if s not in lists_by_slug]
        if unknown:
            errors.append(
                _("linje %(line)d: ukendte lister: %(lists)s")
                % {"line": line, "lists": ", ".join(unknown)}
            )
            continue
        rows.append((email, (row.get("name") or "").strip(), [lists_by_slug[s] for s in slugs]))
    if errors:
        return 0, errors
    if dry_run:
        left = Subscriber.objects.filter(
            email__in=[email for email, _name, _lists in rows], status__in=STAYS_AWAY
        ).count()
        return len(rows) - left, []
    imported = 0
    with transaction.atomic():
        for email, name, lists in rows:
            subscriber, created = Subscriber.objects.get_or_create(
                email=email, defaults={"name": name}
            )
            if subscriber.status in STAYS_AWAY and not created:
                continue  # never resubscribe someone who left or whose address is suppressed
            subscriber.status = Subscriber.Status.ACTIVE
            subscriber.save()
            subscriber.lists.set(lists or default_lists())
            ConsentRecord.objects.create(
                subscriber=subscriber,
                action=ConsentRecord.Action.SUBSCRIBE,
                consent_text_version="import",
                source=source[:100],
            )
            imported += 1
    return imported, []
