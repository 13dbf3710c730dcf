"""The documented backup procedure restores a working site into a fresh database."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.postgres
@pytest.mark.slow
def test_backup_and_restore_into_a_fresh_database_keeps_pages_documents_and_files():
    require(shutil.which("pg_dump") is not None, "needs pg_dump/pg_restore")

    result = subprocess.run(
        ["scripts/test_backup_restore.sh"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "BACKUP/RESTORE OK" in result.stdout
