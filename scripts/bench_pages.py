"""Benchmark the public pages: requests/second, median latency and SQL queries per page.

    .venv/bin/python scripts/bench_pages.py [--seconds 10] [--extra-news 200]

Builds a throwaway SQLite database with the demo content plus extra news posts, serves it with
gunicorn (2 workers, DEBUG off) on 127.0.0.1, and loads the home page, the news archive and a
news post for a fixed time each: first uncached (each worker still keeps its small in-process
caches of menus and site roots, as it does in production without Redis), then with the
anonymous full-page cache on (Redis DB 14 on 127.0.0.1:6379, shared by both workers). Load
comes from wrk when installed, else from a bounded Python client. Anchor (bakerydemo on this
kind of machine): home 19 req/s (43 queries), blog index 31 req/s (40), blog post 44 req/s (22).
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
URLS = {
    "home": "/",
    "news index": "/nyheder/",
    "news post": "/nyheder/social-innovation-i-en-dansk-kontekst/",
}
ANCHOR = {"home": (19, 43), "news index": (31, 40), "news post": (44, 22)}
REDIS_URL = "redis://127.0.0.1:6379/14"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str, code: str | None = None) -> str:
    command = [PYTHON, "manage.py", *args] + (["-c", code] if code else [])
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


EXTRA_NEWS = """
import datetime
from home.models import NewsIndexPage, NewsPage
index = NewsIndexPage.objects.get(locale__language_code="da")
existing = NewsPage.objects.child_of(index).count()
for n in range({count}):
    post = NewsPage(title=f"Benchmarknyhed {{n}}", slug=f"benchmarknyhed-{{n}}",
                    date=datetime.date(2025, 1, 1) + datetime.timedelta(days=n),
                    intro="Ekstra indhold til benchmark.")
    index.add_child(instance=post)
print(NewsPage.objects.count())
"""

COUNT_QUERIES = """
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_HOST="127.0.0.1")
result = {{}}
for name, url in {urls!r}.items():
    with CaptureQueriesContext(connection) as cold:
        client.get(url)
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    result[name] = (status, len(captured), len(cold))
print("JSON" + json.dumps(result))
"""


def python_load(url: str, seconds: float, concurrency: int = 8) -> tuple[float, float, int]:
    host, port = url.split("//")[1].split("/")[0].split(":")
    path = "/" + url.split("//")[1].split("/", 1)[1]
    latencies: list[float] = []
    errors = [0]
    deadline = time.monotonic() + seconds
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        local = []
        while time.monotonic() < deadline:
            start = time.perf_counter()
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
            local.append(time.perf_counter() - start)
        with lock:
            latencies.extend(local)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return len(latencies) / elapsed, statistics.median(latencies) * 1000, errors[0]


def wrk_load(url: str, seconds: float) -> tuple[float, float, int]:
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{int(seconds)}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    median = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    factor = {"us": 0.001, "ms": 1, "s": 1000}[median.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, float(median.group(1)) * factor, int(errors.group(1)) if errors else 0


def page_cache_header(port: int, path: str) -> str | None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    response.read()
    return response.getheader("X-Page-Cache")


def serve_and_load(env: dict, seconds: float, label: str, expect_hits: bool = False) -> dict:
    port = free_port()
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        load = wrk_load if shutil.which("wrk") else python_load
        results = {}
        for name, path in URLS.items():
            url = f"http://127.0.0.1:{port}{path}"
            python_load(url, 1.0, concurrency=2)  # warm both workers
            cache_header = page_cache_header(port, path)
            if expect_hits and cache_header != "hit":
                sys.exit(f"{label}: {path} answered X-Page-Cache={cache_header!r}, not a hit")
            results[name] = load(url, seconds)
            print(
                f"  {label:9} {name:11} {results[name][0]:8.1f} req/s  "
                f"median {results[name][1]:6.1f} ms  errors {results[name][2]}",
                flush=True,
            )
        return results
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--extra-news", type=int, default=200)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
        "MEDIA_ROOT": str(workdir / "media"),
        "SECRET_KEY": "benchmark-only-secret-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_MANIFEST": "false",
        "PAGE_CACHE_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    try:
        print(f"Preparing demo content + {args.extra_news} extra news posts in {workdir} ...")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_demo_content")
        manage(env, "shell", code=EXTRA_NEWS.format(count=args.extra_news))
        counts_out = manage(env, "shell", code=COUNT_QUERIES.format(urls=URLS))
        queries = json.loads(counts_out.split("JSON", 1)[1])

        print("Serving with gunicorn, 2 workers, DEBUG off:")
        uncached = serve_and_load(env, args.seconds, "uncached")
        cached_env = {**env, "REDIS_URL": REDIS_URL, "PAGE_CACHE_SECONDS": "300"}
        subprocess.run(["redis-cli", "-n", "14", "flushdb"], capture_output=True)
        if subprocess.run(["redis-cli", "-n", "14", "ping"], capture_output=True).returncode:
            sys.exit("The cached run needs Redis on 127.0.0.1:6379.")
        cached = serve_and_load(cached_env, args.seconds, "cached", expect_hits=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print()
    print(
        f"{'page':11} {'queries':>7} {'cold':>4} {'uncached r/s':>12} {'x anchor':>8} "
        f"{'median ms':>9} "
        f"{'cached r/s':>10} {'x anchor':>8} {'median ms':>9}"
    )
    for name in URLS:
        anchor_rps, anchor_queries = ANCHOR[name]
        print(
            f"{name:11} {queries[name][1]:>7} {queries[name][2]:>4} {uncached[name][0]:>12.1f} "
            f"{uncached[name][0] / anchor_rps:>8.1f} {uncached[name][1]:>9.1f} "
            f"{cached[name][0]:>10.1f} {cached[name][0] / anchor_rps:>8.1f} {cached[name][1]:>9.1f}"
            f"   (anchor {anchor_rps} r/s, {anchor_queries} queries)"
        )


if __name__ == "__main__":
    main()
