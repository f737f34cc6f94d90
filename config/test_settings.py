"""Settings of the test run: the product's settings plus the kit's test-only app (issue 6, "Must show": the kit is
tested through a small workflow model that exists only in tests). Named by pyproject.toml's pytest options."""

from config.settings import *  # noqa: F403 - the same settings, one app more
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "anjian.core.tests.kitapp"]
