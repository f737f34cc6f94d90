"""The job queue: huey on SQLite in the data directory by default, on Redis when ANJIAN_REDIS_URL is set.

Settings are read once per process, so each configuration runs in a subprocess.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# A database of its own so the test never touches another queue on a shared Redis.
REDIS_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/15"

PROBE = """
import os
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
import django
django.setup()
from huey.contrib.djhuey import HUEY
HUEY.storage.flush_queue()
HUEY.storage.enqueue(b"job")
print(type(HUEY).__name__, HUEY.storage.queue_size(), HUEY.storage.dequeue().decode(), HUEY.storage.queue_size())
"""


def run_probe(data_dir: Path, **env: str) -> list[str]:
    environment = {key: value for key, value in os.environ.items() if key != "ANJIAN_REDIS_URL"}
    environment.update(ANJIAN_DATA_DIR=str(data_dir), **env)
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", PROBE], env=environment, capture_output=True, text=True, check=False,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.fixture
def redis_url() -> str:
    try:
        socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=2).close()
    except OSError:
        message = f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message} (CI=true: a missing server is a failure)")
        pytest.skip(f"{message}; start the local Redis to run this test")
    return REDIS_URL


def test_jobs_queue_in_sqlite_in_the_data_directory_by_default(tmp_path):
    assert run_probe(tmp_path) == ["SqliteHuey", "1", "job", "0"]
    assert (tmp_path / "huey.sqlite3").exists()


def test_jobs_queue_in_redis_when_configured(tmp_path, redis_url):
    assert run_probe(tmp_path, ANJIAN_REDIS_URL=redis_url) == ["RedisHuey", "1", "job", "0"]
    assert not (tmp_path / "huey.sqlite3").exists()
