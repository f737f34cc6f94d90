"""Settings of the test run: the product's settings plus the kit's test-only app (issue 6, "Must show": the kit is
tested through a small workflow model that exists only in tests). Named by pyproject.toml's pytest options."""

import os
import sys
from pathlib import Path

# Under pytest-xdist each worker has a test database of its own (pytest-django suffixes its name), so ids repeat
# between workers; files named by id (DATA_DIR/jobs/<id>/, imports, huey's queue) get a data directory per worker.
# Only in the worker itself: a program a test starts inherits the variable but runs in the data directory it is given.
_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker and "xdist" in sys.modules:
    _base = Path(os.environ.get("ANJIAN_DATA_DIR") or Path(__file__).resolve().parent.parent / "var")
    os.environ["ANJIAN_DATA_DIR"] = str(_base / f"xdist-{_worker}")

from config.settings import *  # noqa: E402, F403 - the same settings, one app more
from config.settings import INSTALLED_APPS  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "anjian.core.tests.kitapp"]
