"""A ``redis-server`` of the test's own on a spare port, to stop, kill or freeze at will.

Never the shared instance: a test that freezes Redis with SIGSTOP must freeze only its own.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import require


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OwnRedis:
    def __init__(self, data_dir: Path | None = None):
        self.port = free_port()
        self.data_dir = data_dir
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start (or restart); with ``data_dir``, the snapshot there is loaded, as after a crash."""
        persistence = (
            ["--dir", str(self.data_dir), "--dbfilename", "dump.rdb", "--save", ""]
            if self.data_dir
            else ["--save", ""]
        )
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--appendonly", "no", *persistence],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):
            try:
                if self.client().ping():
                    return
            except Exception:  # noqa: BLE001 - still starting (refused, or loading its snapshot)
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def client(self):
        import redis

        return redis.Redis(port=self.port, socket_timeout=2, socket_connect_timeout=1)

    def snapshot(self) -> None:
        self.client().save()

    def kill(self) -> None:
        """Gone at once: connections are refused."""
        self.process.kill()
        self.process.wait(timeout=10)

    def freeze(self) -> None:
        """Hung, not gone: connections are accepted and then never answered."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def connections_received(self) -> int:
        return int(self.client().info("stats")["total_connections_received"])

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.thaw()
            self.kill()


@pytest.fixture
def own_redis(tmp_path):
    require(shutil.which("redis-server") is not None, "needs redis-server")
    server = OwnRedis(data_dir=tmp_path)
    server.start()
    yield server
    server.close()


@pytest.fixture
def redis_cache(settings, own_redis):
    """The site's cache (and page cache) on ``own_redis``, breaker closed at both ends. Its
    open window is long, so no probe happens while a test has Redis hung; tests that
    recover reset it."""
    from django.core.cache import cache

    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.CircuitBreakerRedisCache",
            "LOCATION": own_redis.url,
            "OPTIONS": {"circuit_breaker_reset_after": 60},
        }
    }
    settings.PAGE_CACHE_SECONDS = 300
    cache.breaker.reset()
    yield own_redis
    cache.breaker.reset()
