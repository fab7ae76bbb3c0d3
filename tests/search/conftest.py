import pytest

from search import get_search_backend, reset_search_backends


@pytest.fixture
def backend(db, settings):
    """The database search backend, with an empty index. (The contract suite, test_contract, runs every backend.)"""
    settings.SEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database"}}
    reset_search_backends()
    search_backend = get_search_backend()
    search_backend.reset_index()
    yield search_backend
    search_backend.reset_index()
    reset_search_backends()
