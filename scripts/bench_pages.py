"""Benchmark the public pages side by side: this checkout against a baseline revision, in one run.

    .venv/bin/python scripts/bench_pages.py [--baseline REV] [--rounds 3] [--seconds 8]
                                            [--extra-news 200] [--skip-cached]

Absolute figures from separate runs are never compared. The script checks the baseline revision
out into a throwaway ``git worktree`` (default: ``BASELINE`` below, the commit before the speed
work of issue 16), builds one SQLite database per side with the demo content plus extra news
posts, serves both sides at once with gunicorn (2 sync workers each, DEBUG off, production
settings), and then loads them **alternately, page by page, round by round** (the side that goes
first swaps every round), with ``wrk -t2 -c8`` (or a bounded Python client without wrk). For each
page kind it prints both sides' median req/s over the rounds, their ratio, and the SQL queries
one request of that page makes on each side.

With the anonymous page cache on (Redis DB 14 on 127.0.0.1:6379) it then compares cache hits
with a bare Django view that returns the same stored bytes through the same middleware stack
(``scripts/bench_site/``), alternating the two in the same way.

Only loopback is loaded; every load step is bounded by ``--seconds``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BENCH_SITE = Path(__file__).resolve().parent / "bench_site"
# The last commit before issue 16's speed work (f5ed548: main when the work began).
BASELINE = "f5ed548"
REDIS_DB = 14
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
KINDS = (
    "home",
    "news index",
    "news post",
    "event",
    "case bank",
    "case",
    "library",
    "site search",
    "library search",
)

EXTRA_NEWS = """
import datetime
from wagtail.models import Page
index = Page.objects.get(content_type__model="newsindexpage", locale__language_code="da").specific
post_class = Page.objects.filter(content_type__model="newspage").first().specific_class
for n in range({count}):
    post = post_class(title=f"Benchmarknyhed {{n}}", slug=f"benchmarknyhed-{{n}}",
                      date=datetime.date(2025, 1, 1) + datetime.timedelta(days=n),
                      intro="Ekstra indhold til benchmark om social innovation.")
    index.add_child(instance=post)
"""

# Page paths found by content type, so the script serves any revision of the project.
DISCOVER = """
import json
from wagtail.models import Page
def path(model, **filters):
    pages = Page.objects.live().public().filter(
        content_type__model=model, locale__language_code="da", **filters
    ).exclude(slug__startswith="benchmarknyhed").order_by("path")
    page = pages.first()
    return page.get_url_parts()[2] if page else None
print("JSON" + json.dumps({
    "home": "/",
    "news index": path("newsindexpage"),
    "news post": path("newspage"),
    "event": path("eventpage"),
    "case bank": path("caseindexpage"),
    "case": path("casepage"),
    "library": path("librarypage"),
    "site search": "/soeg/?q=innovation",
    "library search": "/soeg/bibliotek/?q=kommune",
}))
"""

COUNT_QUERIES = """
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_HOST="127.0.0.1")
result = {{}}
for name, url in {urls!r}.items():
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    result[name] = (status, len(captured))
print("JSON" + json.dumps(result))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(root: Path, env: dict, *args: str, code: str | None = None) -> str:
    command = [PYTHON, "manage.py", *args] + (["-c", code] if code else [])
    result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"[{root}] manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def json_out(text: str) -> dict:
    return json.loads(text.split("JSON", 1)[1])


def python_load(url: str, seconds: float, concurrency: int = 8) -> tuple[float, int]:
    host, port = url.split("//")[1].split("/")[0].split(":")
    path = "/" + url.split("//")[1].split("/", 1)[1]
    done, errors = [0], [0]
    deadline = time.monotonic() + seconds
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        count = 0
        while time.monotonic() < deadline:
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors[0] += 1
            except OSError:
                errors[0] += 1
                conn = http.client.HTTPConnection(host, int(port), timeout=10)
                continue
            count += 1
        with lock:
            done[0] += count

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0] / (time.monotonic() - started), errors[0]


def wrk_load(url: str, seconds: float) -> tuple[float, int]:
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{max(1, int(seconds))}s", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 30,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, int(errors.group(1)) if errors else 0


def get(port: int, path: str) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    response.body = response.read()
    return response


class Side:
    """One copy of the project (a checkout), its database and its gunicorn."""

    def __init__(self, label: str, root: Path, workdir: Path, extra_env: dict | None = None):
        self.label, self.root = label, root
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{workdir / f'{label}.sqlite3'}",
            "MEDIA_ROOT": str(workdir / f"{label}-media"),
            "SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DEBUG": "false",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_MANIFEST": "false",
            "PAGE_CACHE_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
            "PYTHONWARNINGS": "ignore::UserWarning",
            # The load generator is one visitor: searches must not hit the per-visitor limit.
            "SEARCH_RATELIMIT": "1000000/m",
            "AUTOCOMPLETE_RATELIMIT": "1000000/m",
            "ADMIN_2FA_REQUIRED": "false",
            **(extra_env or {}),
        }
        for name in ("REDIS_URL", "CELERY_BROKER_URL", "ELASTICSEARCH_URL", "OPENSEARCH_URL"):
            self.env.pop(name, None)
        self.server: subprocess.Popen | None = None
        self.port = 0
        self.urls: dict[str, str] = {}
        self.queries: dict[str, tuple[int, int]] = {}

    def prepare(self, extra_news: int) -> None:
        manage(self.root, self.env, "migrate", "--noinput", "-v0")
        manage(self.root, self.env, "load_demo_content")
        manage(self.root, self.env, "shell", code=EXTRA_NEWS.format(count=extra_news))
        self.urls = {
            k: v
            for k, v in json_out(manage(self.root, self.env, "shell", code=DISCOVER)).items()
            if v
        }
        self.queries = json_out(
            manage(self.root, self.env, "shell", code=COUNT_QUERIES.format(urls=self.urls))
        )

    def start(self, env: dict | None = None) -> None:
        self.port = free_port()
        self.server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=self.root,
            env={**self.env, **(env or {})},
        )
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        sys.exit(f"{self.label}: gunicorn did not start")

    def stop(self) -> None:
        if self.server:
            self.server.terminate()
            self.server.wait(timeout=15)
            self.server = None

    def load(self, path: str, seconds: float) -> tuple[float, int]:
        url = f"http://127.0.0.1:{self.port}{path}"
        return (wrk_load if shutil.which("wrk") else python_load)(url, seconds)


def alternate(sides: list[Side], kinds: list[str], rounds: int, seconds: float) -> dict:
    """req/s per (side, kind) over the rounds; the side that goes first swaps every round."""
    samples: dict[tuple[str, str], list[float]] = {}
    for side in sides:
        for kind in kinds:
            python_load(f"http://127.0.0.1:{side.port}{side.urls[kind]}", 1.0, concurrency=2)
    for number in range(rounds):
        order = sides if number % 2 == 0 else sides[::-1]
        for kind in kinds:
            for side in order:
                rps, errors = side.load(side.urls[kind], seconds)
                if errors:
                    sys.exit(f"{side.label} {kind}: {errors} non-2xx responses")
                samples.setdefault((side.label, kind), []).append(rps)
                print(
                    f"  round {number + 1}  {side.label:9} {kind:15} {rps:8.1f} req/s", flush=True
                )
    return {key: statistics.median(values) for key, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE, help="git revision to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--extra-news", type=int, default=200)
    parser.add_argument("--skip-cached", action="store_true")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    baseline_root = workdir / "baseline"
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(baseline_root), args.baseline],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    head = Side("HEAD", ROOT, workdir)
    baseline = Side("baseline", baseline_root, workdir)
    sides = [head, baseline]
    try:
        print(
            f"Preparing both sides (demo content + {args.extra_news} news posts) in {workdir} ..."
        )
        for side in sides:
            side.prepare(args.extra_news)
        kinds = [k for k in KINDS if k in head.urls and k in baseline.urls]
        for side in sides:
            side.start()
        print(
            f"Uncached: gunicorn 2 workers each, {args.rounds} rounds x {args.seconds:g} s per page"
        )
        uncached = alternate(sides, kinds, args.rounds, args.seconds)
        for side in sides:
            side.stop()
        cached = None if args.skip_cached else bench_cached(head, args, workdir)
    finally:
        for side in sides:
            side.stop()
        subprocess.run(
            ["git", "worktree", "remove", "--force", str(baseline_root)],
            cwd=ROOT,
            capture_output=True,
        )
        shutil.rmtree(workdir, ignore_errors=True)

    print(
        f"\nUncached, HEAD vs {args.baseline} (median req/s of {args.rounds} alternating rounds):"
    )
    print(
        f"{'page':15} {'HEAD r/s':>9} {'base r/s':>9} {'ratio':>6} {'queries HEAD':>12} {'base':>5}"
    )
    for kind in kinds:
        h, b = uncached[("HEAD", kind)], uncached[("baseline", kind)]
        print(
            f"{kind:15} {h:>9.1f} {b:>9.1f} {h / b:>6.2f} {head.queries[kind][1]:>12} "
            f"{baseline.queries[kind][1]:>5}"
        )
    if cached:
        print("\nHEAD with the page cache: hits vs a bare view returning the same bytes (req/s):")
        print(f"{'page':15} {'cache hit':>9} {'bare view':>9} {'bare/hit':>8}")
        for kind, (hit, bare) in cached.items():
            print(f"{kind:15} {hit:>9.1f} {bare:>9.1f} {bare / hit:>8.2f}")


def bench_cached(head: Side, args, workdir: Path) -> dict:
    """Cache hits against a bare Django view serving the same stored bytes, alternating."""
    if subprocess.run(
        ["redis-cli", "-n", str(REDIS_DB), "flushdb"], capture_output=True
    ).returncode:
        sys.exit("The cached run needs Redis on 127.0.0.1:6379.")
    results = {}
    kinds = ["home", "news index", "news post"]
    env = {"REDIS_URL": REDIS_URL, "PAGE_CACHE_SECONDS": "300"}
    stored = {}
    head.start(env)
    try:
        for kind in kinds:
            get(head.port, head.urls[kind])
            response = get(head.port, head.urls[kind])
            if response.getheader("X-Page-Cache") != "hit":
                sys.exit(f"{kind}: X-Page-Cache={response.getheader('X-Page-Cache')!r}, not a hit")
            stored[kind] = workdir / f"stored-{len(stored)}.html"
            stored[kind].write_bytes(response.body)
    finally:
        head.stop()
    bare = Side("bare", head.root, workdir)
    bare.env = {
        **head.env,
        **env,
        "PYTHONPATH": str(BENCH_SITE),
        "DJANGO_SETTINGS_MODULE": "bench_settings",
    }
    for kind in kinds:
        bare.urls = {kind: f"/__bench__/stored/?file={stored[kind].name}"}
        bare.env["BENCH_STORED_DIR"] = str(workdir)
    head.start(env)
    bare.start()
    hit_side = Side("cache hit", head.root, workdir)
    hit_side.port, hit_side.urls = head.port, head.urls
    bare.urls = {kind: f"/__bench__/stored/?file={stored[kind].name}" for kind in kinds}
    try:
        medians = alternate([hit_side, bare], kinds, args.rounds, args.seconds)
    finally:
        head.stop()
        bare.stop()
    for kind in kinds:
        results[kind] = (medians[("cache hit", kind)], medians[("bare", kind)])
    return results


if __name__ == "__main__":
    main()
