"""What the hazards app's browser tests do on a hazard page (shared by the journey tests)."""

from __future__ import annotations

import io

from PIL import Image


def photo(tmp_path, name: str = "整改后照片.jpg") -> str:
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 160, 60)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def act(page, label: str) -> None:
    """Open the action form behind the detail page's button `label`."""
    page.locator("[data-testid=object-actions]").get_by_role("link", name=label, exact=True).click()
    page.wait_for_load_state()


def confirm(page) -> None:
    page.locator("#action-form button[type=submit]").click()
    page.wait_for_load_state()


def state_of(page) -> str:
    return page.locator("[data-testid=object-state]").first.inner_text().strip()
