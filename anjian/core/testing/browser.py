"""Helpers for tests that render pages: plain static storage, and Playwright driving Debian's chromium.

Pages link their vendored assets through `{% static %}`; the production storage needs a collectstatic
manifest, which a test run does not have, so tests switch to the plain storage (files served by the finders).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("ANJIAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SHOTS_DIR = Path(os.environ.get("ANJIAN_SHOTS_DIR") or Path(tempfile.gettempdir()) / "anjian-shots")
# The two screens every journey is looked at on: a regulator's desktop and a grid worker's or manager's phone.
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

PLAIN_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def use_plain_static(settings) -> None:
    """Point `{% static %}` at the plain storage (pytest-django's `settings` fixture restores it afterwards)."""
    settings.STORAGES = PLAIN_STORAGES


@pytest.fixture
def plain_static(settings):
    use_plain_static(settings)
    return settings


@pytest.fixture(scope="session")
def chromium() -> Iterator:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"chromium not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a thread with a
    # running loop unless told that this is deliberate. Set here, so only browser test runs are affected.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, plain_static, tmp_path) -> Iterator:
    """A fresh browser context (no cookies) at a desktop size, with the Chinese locale."""
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def browse(chromium, plain_static) -> Iterator:
    """`browse(viewport, **context_options)` opens a page in a fresh context (its own cookies: one person each) at
    DESKTOP, PHONE or any size, with the Chinese locale; every context is closed after the test. A test module that
    needs more (media in its tmp_path, notification texts) defines `browse(browse, ...)` around this one."""
    contexts = []

    def open_page(viewport: dict[str, int], **options: Any):
        context = chromium.new_context(locale="zh-CN", viewport=viewport, **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def shot(page, name: str) -> Path:
    """Save a full-page screenshot to SHOTS_DIR (outside the repository) and return its path."""
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    path = SHOTS_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, live_server_url: str, username: str, password: str) -> None:
    page.goto(f"{live_server_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit], form input[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
