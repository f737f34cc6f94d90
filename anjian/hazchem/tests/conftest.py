import pytest

from anjian.hazchem.reference import load_catalogue, load_key_processes


@pytest.fixture
def catalogue(db):
    """The packaged catalogue and key processes, loaded as `anjian load-reference` loads them."""
    load_catalogue()
    load_key_processes()
