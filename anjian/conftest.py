"""Project-wide pytest fixtures: reference data and one persona per role (anjian.core.testing.personas)."""

import pytest

from anjian.core.testing.personas import Personas


@pytest.fixture
def reference_regions(db):
    from anjian.regions.services import load_divisions

    load_divisions()


@pytest.fixture
def industries(db):
    from anjian.enterprises.reference import load_industries

    load_industries()


@pytest.fixture
def personas(reference_regions, industries) -> Personas:
    """Two towns (A: 东城街道, B: 虎门镇), an enterprise in each, and a user of every role."""
    return Personas.create()
