"""Stand-in routes for the hazard pages another part of issue 8 builds (the hazard list and detail), so the overdue
and statistics tests can reverse their URLs on a branch without them. Where the real routes exist this adds
nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.http import HttpResponse
from django.urls import NoReverseMatch, clear_url_caches, path, reverse

from anjian.hazards import urls


def _page(request, *args, **kwargs):
    return HttpResponse("stand-in")


@contextmanager
def hazard_pages() -> Iterator[None]:
    added = []
    for route, name, args in (("list/", "hazard_list", ()), ("<int:pk>/", "hazard_detail", (1,))):
        try:
            reverse(f"hazards:{name}", args=args)
        except NoReverseMatch:
            added.append(path(f"stand-in/{route}", _page, name=name))
    urls.urlpatterns.extend(added)
    clear_url_caches()
    try:
        yield
    finally:
        for pattern in added:
            urls.urlpatterns.remove(pattern)
        clear_url_caches()
