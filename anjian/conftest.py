"""Project-wide pytest fixtures: reference data and one persona per role (anjian.core.testing.personas)."""

import pytest

from anjian.core.testing.personas import Personas

# The browser fixtures (one Chromium per session, shared by every browser test module) and a Mosquitto of the test
# run's own with the shipped broker settings.
pytest_plugins = ["anjian.core.testing.browser", "anjian.core.testing.mqtt"]


def pytest_configure(config):
    from django.conf import settings

    # Fast hashing in tests only: personas create seven users per test (Django testing docs, "Speeding up").
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests render templates without running collectstatic, so no manifest exists to look names up in.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _ensure_reference_data() -> None:
    from anjian.enterprises.models import Industry
    from anjian.enterprises.reference import load_industries
    from anjian.regions.models import Region
    from anjian.regions.services import load_divisions

    if not Region.objects.exists():
        load_divisions()
    if not Industry.objects.exists():
        load_industries()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a request in English (the i18n tests) leaves English active
    in the thread, and services called directly afterwards would answer in it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference data once per test database; tests then roll back around it."""
    with django_db_blocker.unblock():
        _ensure_reference_data()


@pytest.fixture
def reference_regions(db):
    # Transactional tests flush the database, so check again (cheap when present).
    _ensure_reference_data()


@pytest.fixture
def industries(reference_regions):
    return None


@pytest.fixture
def personas(reference_regions) -> Personas:
    """Two towns (A: 东城街道, B: 虎门镇), an enterprise in each, and a user of every role."""
    return Personas.create()
