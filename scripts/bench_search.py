#!/usr/bin/env python
"""Library search benchmark: 10,000 resources + 2,000 cases, ~200 faceted searches.

    .venv/bin/python scripts/bench_search.py                 # SQLite, then PostgreSQL
    .venv/bin/python scripts/bench_search.py --only sqlite
    .venv/bin/python scripts/bench_search.py --reuse      # searches only, on the last build
    BENCH_POSTGRES_URL=postgres://root@127.0.0.1:5432/netvaerk_bench_search (default)

Each database runs in its own process (settings read DATABASE_URL at start-up) on a fresh
database: pages are created in one transaction with index signals off, then ``update_index``
is timed (indexing throughput), then a fixed, seeded mix of library searches runs through
``search.services.library_search`` -- queries and filters, as an anonymous visitor and as a
member -- and p50/p95 latency is printed. Only 127.0.0.1 services are touched.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SQLITE_PATH = Path("/tmp/netvaerk_bench_search.sqlite3")
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://root@127.0.0.1:5432/netvaerk_bench_search"
)
N_RESOURCES = int(os.environ.get("BENCH_RESOURCES", "10000"))
N_CASES = int(os.environ.get("BENCH_CASES", "2000"))
N_SEARCHES = 200
MEMBERS_ONLY_SHARE = 0.2

WORDS = (
    "frivillige frivillighed kommune kommunerne borgere borgerinddragelse ældrepleje ældre "
    "plejecenter cykler cyklerne skole skolerne unge beskæftigelse virksomheder partnerskab "
    "partnerskaber civilsamfund foreninger samskabelse velfærd velfærdsteknologi innovation "
    "socialøkonomi bæredygtighed skalering evaluering effekt evidens medarbejdere "
    "fagprofessionelle "
    "kvalitet incitamenter sundhed rehabilitering handicap psykiatri ensomhed fællesskab "
    "madfællesskab bibliotek naboskab landdistrikter København Aarhus Odense Ærø Bornholm "
    "klima natur bøgetræer grønne områder digitalisering data netværk læring udvikling"
).split()
QUERIES = (
    "frivillige",
    "ældrepleje",
    "partnerskab",
    "cykler",
    "skolen",
    "velfærdsteknologi",
    "samskabelse civilsamfund",
    "bæredygtighed skalering",
    "evaluering effekt",
    "ensomhed fællesskab",
    "København",
    "unge beskæftigelse",
    "socialøkonomi",
    "incitamenter virksomheder",
    "rehabilitering",
    "digitalisering data",
    "kvalitet fagprofessionelle",
    "naboskab",
    "medarbejdere",
    "grønne områder",
)


TOPIC_SHARE = 0.05  # share of words in a text that are topical (the words people search for)


def _filler_vocabulary(size: int = 3000) -> list[str]:
    """Pseudo-Danish filler words, so each topical word occurs in a realistic share of texts."""
    rng = random.Random(7)
    syllables = "ka ri sto vel dan mø gå ær ste lin for by hus sko rå de ne ter pe la sø".split()
    return ["".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(size)]


FILLER = _filler_vocabulary()


def sentence(rng: random.Random, n: int) -> str:
    words = [
        rng.choice(WORDS) if rng.random() < TOPIC_SHARE else rng.choice(FILLER) for _ in range(n)
    ]
    return " ".join(words).capitalize() + "."


def title(rng: random.Random) -> str:
    """Titles are mostly topical, like real ones."""
    return " ".join(
        rng.choice(WORDS if rng.random() < 0.6 else FILLER) for _ in range(4)
    ).capitalize()


# --- Child process: one database ---------------------------------------------------------------


def prepare_database(kind: str) -> str:
    if kind == "sqlite":
        SQLITE_PATH.unlink(missing_ok=True)
        return f"sqlite:///{SQLITE_PATH}"
    import psycopg

    base, name = POSTGRES_URL.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return POSTGRES_URL


def existing_database(kind: str) -> str:
    """The database a previous run built (``--reuse`` measures searches only)."""
    if kind == "sqlite":
        if not SQLITE_PATH.exists():
            sys.exit(f"--reuse: {SQLITE_PATH} does not exist; run once without --reuse")
        return f"sqlite:///{SQLITE_PATH}"
    return POSTGRES_URL


def build_corpus(rng) -> dict:
    """Create the pages in one transaction, with search and reference indexing switched off
    (``update_index`` is timed separately) and tree paths computed here, not per insert."""
    from datetime import timedelta

    from django.db import transaction
    from django.db.models.signals import post_save
    from django.utils import timezone
    from modelsearch.index import get_indexed_models
    from modelsearch.signal_handlers import post_save_signal_handler
    from treebeard.mp_tree import MP_Node
    from wagtail.signal_handlers import disable_reference_index_auto_update

    from cases.models import CaseIndexPage, CasePage
    from home.demo import ensure_home_page
    from resources.models import LibraryPage, ResourcePage
    from taxonomy.models import Actor, Theme

    home = ensure_home_page()
    themes = list(Theme.objects.all())
    if not themes:
        themes = [
            Theme.objects.create(name=f"Tema {word}", slug=f"tema-{word}") for word in WORDS[:7]
        ]
    actors = list(Actor.objects.all()) or [
        Actor.objects.create(name=name, slug=name.lower())
        for name in ("Kommune", "Virksomheder", "Frivillige", "Foreninger", "Borgere")
    ]
    municipalities = ["Vejle", "Aarhus", "Odense", "Aalborg", "Esbjerg", "Herning", "Ærø"]
    countries = ["Sverige", "Norge", "Holland", "Storbritannien", "Finland"]
    library = LibraryPage.objects.first() or home.add_child(
        instance=LibraryPage(title="Vidensbibliotek", slug="bibliotek")
    )
    case_bank = CaseIndexPage.objects.first() or home.add_child(
        instance=CaseIndexPage(title="Casebank", slug="cases")
    )

    def body(n):
        return "".join(f"<p>{sentence(rng, 25)}</p>" for _ in range(n))

    def make_resource(i):
        return ResourcePage(
            title=title(rng),
            resource_type=rng.choice(ResourcePage.ResourceType.values),
            authors=f"{rng.choice(['Hansen', 'Jensen', 'Nielsen', 'Larsen'])} m.fl.",
            publisher=rng.choice(["KL", "VIVE", "Social- og Boligstyrelsen", "Rambøll"]),
            year=rng.randrange(2005, 2027),
            language=rng.choice(["da", "da", "da", "en", "sv"]),
            abstract=sentence(rng, 30),
            body=body(4),
            members_only=rng.random() < MEMBERS_ONLY_SHARE,
        )

    def make_case(i):
        national = rng.random() < 0.7
        return CasePage(
            title=title(rng),
            summary=sentence(rng, 30),
            stage=rng.choice(CasePage.Stage.values),
            scope="national" if national else "international",
            municipality=rng.choice(municipalities) if national else "",
            country="Danmark" if national else rng.choice(countries),
            challenge=body(2),
            solution=body(3),
            partners=sentence(rng, 15),
            results=body(2),
            members_only=rng.random() < MEMBERS_ONLY_SHARE,
        )

    for model in get_indexed_models():
        post_save.disconnect(post_save_signal_handler, sender=model)
    now = timezone.now()
    started = time.perf_counter()
    counts = {}
    with disable_reference_index_auto_update(), transaction.atomic():
        for kind, parent, total, make, extra in (
            ("resources", library, N_RESOURCES, make_resource, ()),
            ("cases", case_bank, N_CASES, make_case, ("actors",)),
        ):
            last = parent.get_last_child()
            step = MP_Node._str2int(last.path[-MP_Node.steplen :]) if last else 0
            theme_links, actor_links = [], []
            for i in range(total):
                step += 1
                page = make(i)
                page.slug = f"{kind}-{i}"
                page.locale_id = parent.locale_id
                page.live = True
                page.depth = parent.depth + 1
                page.path = MP_Node._get_path(parent.path, parent.depth + 1, step)
                page.numchild = 0
                page.url_path = f"{parent.url_path}{kind}-{i}/"
                published = now - timedelta(days=rng.randrange(3000))
                page.first_published_at = page.last_published_at = published
                page.save(clean=False)
                for theme in rng.sample(themes, rng.randint(1, 3)):
                    theme_links.append(_link(page, "themes", theme))
                for name in extra:
                    for actor in rng.sample(actors, rng.randint(1, 3)):
                        actor_links.append(_link(page, name, actor))
            for links in (theme_links, actor_links):
                if links:
                    type(links[0]).objects.bulk_create(links, batch_size=2000)
            parent.numchild = step
            parent.save(update_fields=["numchild"])
            counts[kind] = total
    counts["seconds"] = time.perf_counter() - started
    return counts


def _link(page, field_name, target):
    """A row of the many-to-many table behind ``page.<field_name>``, for bulk_create."""
    field = type(page)._meta.get_field(field_name)
    through = field.remote_field.through
    return through(
        **{
            f"{field.m2m_field_name()}_id": page.pk,
            f"{field.m2m_reverse_field_name()}_id": target.pk,
        }
    )


def run_searches(rng) -> dict:
    from django.contrib.auth.models import AnonymousUser, User

    from members_area.access import members_group
    from search import services

    member, _ = User.objects.get_or_create(username="bench-member")
    member.groups.add(members_group())
    anonymous = AnonymousUser()

    # Facet values to filter on come from an unfiltered browse.
    facet_values = {}
    for kind in ("resources", "cases", None):
        browse = services.library_search(anonymous, kind=kind)
        facet_values[kind] = {f.key: [v.value for v in f.values] for f in browse.facets}

    plan = []
    for i in range(N_SEARCHES):
        kind = ("resources", "cases", None)[i % 3]
        query = QUERIES[i % len(QUERIES)] if i % 5 else ""
        filters = {}
        options = facet_values[kind]
        for key in rng.sample(sorted(options), k=min(len(options), i % 3)):
            if options[key]:
                filters[key] = [rng.choice(options[key])]
        plan.append((kind, query, filters, "date" if i % 7 == 0 else "relevance", 1 + (i % 4 == 0)))

    def run(user, item):
        kind, query, filters, sort, page = item
        started = time.perf_counter()
        result = services.library_search(
            user, query=query, kind=kind, filters=filters, sort=sort, page=page
        )
        list(result.page.object_list)
        return (time.perf_counter() - started) * 1000, result.total

    for item in plan[:10]:  # warm caches and connections
        run(anonymous, item)
    timings = {"anonymous": [], "member": []}
    totals = []
    for i, item in enumerate(plan):
        label, user = ("member", member) if i % 2 else ("anonymous", anonymous)
        ms, total = run(user, item)
        timings[label].append(ms)
        totals.append(total)
    return {"timings": timings, "totals": totals}


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def child(kind: str, reuse: bool = False) -> None:
    os.environ["DATABASE_URL"] = existing_database(kind) if reuse else prepare_database(kind)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("ELASTICSEARCH_URL", None)
    os.environ.pop("OPENSEARCH_URL", None)
    os.environ["LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    rng = random.Random(20261124)
    if reuse:
        measure_searches(kind, rng)
        return
    call_command("migrate", verbosity=0)
    corpus = build_corpus(rng)
    pages = corpus["resources"] + corpus["cases"]
    print(
        f"[{kind}] built {corpus['resources']} resources + {corpus['cases']} cases "
        f"in {corpus['seconds']:.1f} s"
    )

    started = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        call_command("update_index", stdout=devnull)
    seconds = time.perf_counter() - started
    print(
        f"[{kind}] update_index: {seconds:.1f} s for {pages} library pages (+ the rest) "
        f"-> {pages / seconds:.0f} docs/s"
    )

    if kind == "postgres":
        # Autovacuum would vacuum and analyse after a bulk load like this (planner statistics,
        # GIN pending lists merged); do it now rather than mid-benchmark.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    measure_searches(kind, rng)


def measure_searches(kind: str, rng) -> None:
    measured = run_searches(rng)
    everything = measured["timings"]["anonymous"] + measured["timings"]["member"]
    print(
        f"[{kind}] library search, {len(everything)} searches with facets: "
        f"p50 {statistics.median(everything):.1f} ms, p95 {percentile(everything, 95):.1f} ms, "
        f"max {max(everything):.1f} ms"
    )
    for label, values in measured["timings"].items():
        print(
            f"[{kind}]   {label:9} p50 {statistics.median(values):.1f} ms, "
            f"p95 {percentile(values, 95):.1f} ms"
        )
    print(f"[{kind}]   median hits per search: {statistics.median(measured['totals']):.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument(
        "--reuse", action="store_true", help="search the databases a previous run built"
    )
    parser.add_argument("--child", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, reuse=args.reuse)
        return
    status = 0
    for kind in [args.only] if args.only else ["sqlite", "postgres"]:
        command = [sys.executable, __file__, "--child", kind] + (["--reuse"] if args.reuse else [])
        status |= subprocess.run(command, cwd=ROOT).returncode
    sys.exit(status)


if __name__ == "__main__":
    main()
