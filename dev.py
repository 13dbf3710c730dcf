#!/usr/bin/env python3
"""Bootstrap and run the project with nothing installed but Python 3.11.

    python3 dev.py start      # venv + install + migrate + demo content + dev server
    python3 dev.py test       # venv + install + the whole test suite (extra args go to pytest)
                              # embedded default first, then the `postgres` group on PostgreSQL
    python3 dev.py manage ... # any manage.py command inside the venv

Only the standard library is used here: this file runs before the virtual
environment exists. It (re)installs the pinned dependencies whenever
requirements.lock changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import venv
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".requirements.lock.sha256"
PYTHON = VENV / "bin" / "python"
PACKAGE_JSON = ROOT / "package.json"
AXE_PACKAGE = ROOT / "node_modules" / "axe-core" / "package.json"

# The tests that need PostgreSQL (Danish stemming, row locks, concurrency, backups) run here.
TEST_POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://root@127.0.0.1:5432/netvaerk")

DEMO_ADMIN_USERNAME = "admin"
DEMO_ADMIN_PASSWORD = "demo-admin-2026"


def _lock_digest() -> str:
    return hashlib.sha256(LOCK.read_bytes()).hexdigest()


def ensure_venv() -> None:
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"Python 3.11 is required (this is {sys.version.split()[0]}).")
    if not PYTHON.exists():
        print("Creating virtual environment in .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if not STAMP.exists() or STAMP.read_text().strip() != _lock_digest():
        print("Installing pinned dependencies from requirements.lock ...", flush=True)
        subprocess.run(
            [
                str(PYTHON),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
                str(LOCK),
            ],
            check=True,
        )
        STAMP.write_text(_lock_digest())


def ensure_node_modules() -> None:
    """axe-core for the browser tests' accessibility checks, pinned in package-lock.json.

    Without npm the browser tests skip with that reason (and fail under CI, where
    tests/browser_support.py requires axe-core).
    """
    if not PACKAGE_JSON.exists():
        return
    pinned = json.loads(PACKAGE_JSON.read_text())["devDependencies"]["axe-core"]
    if AXE_PACKAGE.exists() and json.loads(AXE_PACKAGE.read_text())["version"] == pinned:
        return
    npm = shutil.which("npm")
    if npm is None:
        print("npm not found: browser tests will skip their accessibility checks.", flush=True)
        return
    print("Installing front-end test tools from package-lock.json (npm ci) ...", flush=True)
    code = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=ROOT).returncode
    if code and os.environ.get("CI"):
        sys.exit("npm ci failed.")


def run(*args: str, env: dict[str, str] | None = None) -> int:
    return subprocess.run(list(args), cwd=ROOT, env={**os.environ, **(env or {})}).returncode


def manage(*args: str, env: dict[str, str] | None = None) -> int:
    return run(str(PYTHON), "manage.py", *args, env=env)


def start(argv: list[str]) -> int:
    env = {"DEBUG": os.environ.get("DEBUG", "true")}
    for step in (("migrate", "--noinput"), ("load_demo_content",)):
        if manage(*step, env=env):
            return 1
    manage("ensure_demo_admin", DEMO_ADMIN_USERNAME, DEMO_ADMIN_PASSWORD, env=env)
    address = argv[0] if argv else "127.0.0.1:8000"
    if ":" not in address:  # runserver also takes a bare port
        address = f"127.0.0.1:{address}"
    if not address.startswith(("0.0.0.0:", "[::]:")):
        # Links in e-mails sent before the first request (core/site_address.py).
        env["DEV_SERVER_URL"] = f"http://{address}"
    print(
        f"\nSite: http://{address}/   Admin: http://{address}/admin/ "
        f"({DEMO_ADMIN_USERNAME} / {DEMO_ADMIN_PASSWORD})\n",
        flush=True,
    )
    return manage("runserver", address, env=env)


def _reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 5432), timeout=1):
            return True
    except OSError:
        return False


def test(argv: list[str]) -> int:
    """The whole suite, or with arguments exactly the pytest run they describe."""
    pytest = (str(PYTHON), "-m", "pytest")
    if argv or os.environ.get("DATABASE_URL"):
        code = run(*pytest, *argv)
        # pytest exits 5 when a selection ran no test; that is not a failure of the suite.
        return 0 if code == 5 and argv else code

    print("== The suite on the embedded default (SQLite) ==", flush=True)
    code = run(*pytest, "-m", "not postgres")
    print(f"== The postgres group on {TEST_POSTGRES_URL} ==", flush=True)
    if not _reachable(TEST_POSTGRES_URL):
        if os.environ.get("CI"):
            print("CI requires PostgreSQL for the postgres group.", flush=True)
            return 1
        print("PostgreSQL is not reachable: the postgres group did not run.", flush=True)
        return code
    return run(*pytest, "-m", "postgres", env={"DATABASE_URL": TEST_POSTGRES_URL}) or code


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"start", "test", "manage"}:
        print(__doc__)
        return 2
    ensure_venv()
    command, argv = sys.argv[1], sys.argv[2:]
    if command == "start":
        return start(argv)
    if command == "test":
        ensure_node_modules()
        return test(argv)
    return manage(*argv)


if __name__ == "__main__":
    sys.exit(main())
