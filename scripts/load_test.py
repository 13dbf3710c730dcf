"""Load test on loopback: gunicorn (2 workers) on PostgreSQL + Redis with the demo content.

    .venv/bin/python scripts/load_test.py [--seconds 60] [--concurrency 8] [--reuse]

Builds (or with --reuse keeps) the PostgreSQL database ``netvaerk_load`` with the demo content
and a member, starts gunicorn exactly as ``scripts/run-web`` does (production settings: DEBUG
off, hashed static files, JSON logs, Redis DB 14 as cache with the anonymous page cache on), and
runs a bounded mix for a fixed time with a fixed number of client threads:

    60 % anonymous page views (home, news, events, cases, resources, standard pages)
    20 % searches (site search and library search, varied Danish queries)
    20 % member views (logged-in session cookie: members' section, members-only pages)

Prints throughput, p50/p95 per kind and overall, and every non-200 answer as an error. A member
view that answers with a redirect to the login page counts as an error, too. Anchor (bakerydemo,
foundation issue): home 19 req/s, blog index 31, blog post 44.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DB = "netvaerk_load"
REDIS_URL = "redis://127.0.0.1:6379/14"
SEARCHES = [
    "/soeg/?q=" + quote(q)
    for q in ("innovation", "ældre", "børn og unge", "beskæftigelse", "velfærd")
] + ["/soeg/bibliotek/?q=metode", "/soeg/bibliotek/?q=evaluering", "/soeg/bibliotek/"]

DISCOVER = """
import json
from urllib.parse import quote
from django.test import Client
from wagtail.models import Page
from members_area.access import can_view_page
from django.contrib.auth.models import AnonymousUser
from tests.factories import make_member
from django.contrib.auth import get_user_model
member = (get_user_model().objects.filter(username="loadtest-medlem").first()
          or make_member(username="loadtest-medlem"))
public, members = [], []
for page in Page.objects.live().specific().filter(depth__gt=1):
    url = page.url and quote(page.url)
    if not url or "/en/" in url:
        continue
    if can_view_page(page, AnonymousUser()):
        public.append(url)
    elif can_view_page(page, member):
        members.append(url)
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(member)
members.append("/medlemmer/")
print("JSON" + json.dumps({"public": public, "members": members,
                           "session": client.cookies["sessionid"].value}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(cmd: list[str], env: dict, check: bool = True) -> str:
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if check and result.returncode:
        sys.exit(f"{' '.join(cmd[:3])} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def prepare(env: dict, reuse: bool) -> dict:
    exists = DB in run(["psql", "-h", "127.0.0.1", "-U", "root", "-lqt"], env)
    if not (reuse and exists):
        run(["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "root", DB], env)
        run(["createdb", "-h", "127.0.0.1", "-U", "root", DB], env)
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        run([PYTHON, "manage.py", "load_demo_content"], env)
    out = run([PYTHON, "manage.py", "shell", "-c", DISCOVER], env)
    return json.loads(next(line[4:] for line in out.splitlines() if line.startswith("JSON")))


def load(port: int, targets: dict, seconds: float, concurrency: int) -> dict:
    deadline = time.monotonic() + seconds
    results: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    samples: list[str] = []
    lock = threading.Lock()
    cookie = f"sessionid={targets['session']}"

    def pick(rng: random.Random) -> tuple[str, str, dict]:
        roll = rng.random()
        if roll < 0.6:
            return "anonymous page", rng.choice(targets["public"]), {}
        if roll < 0.8:
            return "search", rng.choice(SEARCHES), {}
        return "member view", rng.choice(targets["members"]), {"Cookie": cookie}

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        local: dict[str, list[float]] = defaultdict(list)
        while time.monotonic() < deadline:
            kind, path, headers = pick(rng)
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Host": "127.0.0.1", **headers})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                status = type(exc).__name__
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
            local[kind].append(time.perf_counter() - started)
            if status != 200:
                with lock:
                    errors[kind] += 1
                    if len(samples) < 10:
                        samples.append(f"{status} {path}")
        with lock:
            for kind, values in local.items():
                results[kind].extend(values)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {
        "elapsed": time.monotonic() - started,
        "results": results,
        "errors": errors,
        "samples": samples,
    }


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reuse", action="store_true", help="keep an existing netvaerk_load")
    args = parser.parse_args()

    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"postgres://root@127.0.0.1:5432/{DB}",
        REDIS_URL=REDIS_URL,
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        WEB_CONCURRENCY=str(args.workers),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_ACCESS_LOG="",  # 10k JSON lines would only slow the run down
        LOG_LEVEL="WARNING",
        STATIC_MANIFEST="true",
        # All load comes from one IP: lift the per-IP search limits (they work: with the
        # production 120/min this run gets 429s, as it should).
        SEARCH_RATELIMIT="1000000/m",
        AUTOCOMPLETE_RATELIMIT="1000000/m",
    )
    print(f"preparing {DB} (demo content) ...", flush=True)
    targets = prepare(env, args.reuse)
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    subprocess.run(["redis-cli", "-n", "14", "flushdb"], capture_output=True)
    print(
        f"{len(targets['public'])} public pages, {len(targets['members'])} member views, "
        f"{len(SEARCHES)} searches; gunicorn {args.workers} workers on 127.0.0.1:{port}",
        flush=True,
    )
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.2)
        # Warm up: one pass over every URL so the first figures aren't import time.
        warm = dict(targets, public=targets["public"], members=targets["members"])
        load(port, warm, 3, 2)
        print(f"load: {args.seconds:.0f} s, {args.concurrency} client threads ...", flush=True)
        outcome = load(port, targets, args.seconds, args.concurrency)
    finally:
        server.terminate()
        server.wait(timeout=30)

    elapsed = outcome["elapsed"]
    everything = [v for values in outcome["results"].values() for v in values]
    print(f"\n{'kind':<16}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
    for kind in ("anonymous page", "search", "member view"):
        values = outcome["results"].get(kind, [])
        if values:
            print(
                f"{kind:<16}{len(values):>10}{len(values) / elapsed:>9.1f}"
                f"{pct(values, 0.5):>9.1f}{pct(values, 0.95):>9.1f}{outcome['errors'][kind]:>8}"
            )
    total_errors = sum(outcome["errors"].values())
    print(
        f"{'total':<16}{len(everything):>10}{len(everything) / elapsed:>9.1f}"
        f"{pct(everything, 0.5):>9.1f}{pct(everything, 0.95):>9.1f}{total_errors:>8}"
    )
    print(f"median of all: {statistics.median(everything) * 1000:.1f} ms")
    if outcome["samples"]:
        print("error samples:", *outcome["samples"], sep="\n  ")
    print("anchor (bakerydemo, one URL at a time): home 19 req/s, blog index 31, blog post 44")
    return 1 if total_errors else 0


if __name__ == "__main__":
    sys.exit(main())
