"""Per-app registration (issue 6 item 7): what each app plugs into the site, declared in its own AppConfig.

An app's config derives from `ModuleConfig` and declares its URL prefix, its sidebar entries, its API routes (and
extra API URLs),
its panels on the enterprise page, its reference-data loaders and its demo-data generator; `ready()` adds them
here in INSTALLED_APPS order. config/urls.py, config/api_urls.py, the sidebar and the `load-reference` and
`demo` commands read this registry, so no central list names a domain app (INSTALLED_APPS aside).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import AppConfig
from django.utils.module_loading import import_string


def _load(target: Any) -> Any:
    return import_string(target) if isinstance(target, str) else target


@dataclass(frozen=True)
class NavEntry:
    """A sidebar link. Shown to a user who may view `model` (dotted "app_label.Model") somewhere, and, when
    `roles` is given, only to those roles; `icon` is a Bootstrap Icons class."""

    label: Any
    url_name: str
    icon: str = "bi-dot"
    model: str | None = None
    roles: frozenset[str] | None = None
    order: int = 100


@dataclass(frozen=True)
class ApiRoute:
    """`/api/v1/<prefix>/` served by a viewset (a class or its dotted path)."""

    prefix: str
    viewset: Any
    basename: str


@dataclass(frozen=True)
class Panel:
    """A section of the enterprise detail page: `context(request, enterprise)` answers the template's context,
    or None when the section has nothing for this user (then it is not drawn)."""

    template: str
    context: Any
    order: int = 100


@dataclass(frozen=True)
class StartPanel:
    """A section of the 开始自查 page (hazards, issue 8 item 2): `context(request)` answers the template's context, or
    None when the section has nothing for this user. Other apps put their own periodic checks there (issue 9 item 4:
    the risk app's control-measure check items), so an enterprise finds everything due in one place."""

    template: str
    context: Any
    order: int = 100


@dataclass(frozen=True)
class ReferenceLoader:
    """Loads one kind of packaged reference data; `load()` answers how many rows it loaded."""

    label: str
    load: Any


@dataclass(frozen=True)
class DemoOptions:
    """What `anjian demo` was asked for: the size of the demo city and the seed of every random choice."""

    enterprises: int
    seed: int


@dataclass(frozen=True)
class DemoGenerator:
    """Adds one app's records to the demo city. `generate(options)` answers a line for the terminal (an app whose
    records already exist leaves them and says so).

    `after_accounts` generators run once the demo users exist (e.g. notifications addressed to them).
    """

    label: str
    generate: Any
    after_accounts: bool = False


@dataclass
class Registry:
    url_includes: list[tuple[str, str]] = field(default_factory=list)
    api_url_modules: list[str] = field(default_factory=list)
    nav: list[NavEntry] = field(default_factory=list)
    api_routes: list[ApiRoute] = field(default_factory=list)
    panels: list[Panel] = field(default_factory=list)
    start_panels: list[StartPanel] = field(default_factory=list)
    reference_loaders: list[ReferenceLoader] = field(default_factory=list)
    demo_generators: list[DemoGenerator] = field(default_factory=list)

    def add(self, config: ModuleConfig) -> None:
        if config.url_prefix is not None:
            self.url_includes.append((config.url_prefix, f"{config.name}.urls"))
        if config.api_urls:
            self.api_url_modules.append(config.api_urls)
        self.nav.extend(config.nav)
        self.api_routes.extend(config.api)
        self.panels.extend(config.enterprise_panels)
        self.start_panels.extend(config.self_inspection_panels)
        self.reference_loaders.extend(config.reference)
        self.demo_generators.extend(config.demo)

    def nav_for(self, user: Any) -> list[NavEntry]:
        """The sidebar entries `user` may use: the roles named, and the right to view the entry's model."""
        from django.apps import apps

        from anjian.core.scope import VIEW, jurisdiction_of

        entries = []
        for entry in sorted(self.nav, key=lambda item: item.order):
            if entry.roles is not None and getattr(user, "role", None) not in entry.roles and not getattr(
                user, "is_superuser", False
            ):
                continue
            if entry.model and jurisdiction_of(user, VIEW, apps.get_model(entry.model)).nothing:
                continue
            entries.append(entry)
        return entries

    def api_viewsets(self) -> list[tuple[str, Any, str]]:
        return [(route.prefix, _load(route.viewset), route.basename) for route in self.api_routes]

    def enterprise_panels(self) -> list[tuple[str, Callable[..., dict[str, Any] | None]]]:
        return [(panel.template, _load(panel.context)) for panel in sorted(self.panels, key=lambda p: p.order)]

    def self_inspection_panels(self) -> list[tuple[str, Callable[..., dict[str, Any] | None]]]:
        return [(panel.template, _load(panel.context)) for panel in sorted(self.start_panels, key=lambda p: p.order)]

    def loaders(self) -> list[tuple[str, Callable[[], int]]]:
        return [(loader.label, _load(loader.load)) for loader in self.reference_loaders]

    def generators(self, *, after_accounts: bool) -> list[tuple[str, Callable[..., str]]]:
        return [
            (generator.label, _load(generator.generate))
            for generator in self.demo_generators if generator.after_accounts is after_accounts
        ]


registry = Registry()


def drawn_panels(panels: list[tuple[str, Callable[..., dict[str, Any] | None]]], *args: Any) -> list[dict[str, Any]]:
    """The panels (template, context function) that have something to show: each as {"template", "context"} for
    the page's `{% include panel.template with panel=panel.context %}`."""
    drawn = []
    for template, context in panels:
        data = context(*args)
        if data is not None:
            drawn.append({"template": template, "context": data})
    return drawn


class ModuleConfig(AppConfig):
    """Base AppConfig of an anjian app: what it plugs in, as data (see Registry)."""

    # Django picks an app's config among the AppConfig classes its apps.py holds, and this base is imported there
    # too: it is never the default; each subclass is (unless it says otherwise).
    default = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True

    url_prefix: str | None = None
    api_urls: str | None = None  # a module whose `urlpatterns` go under /api/v1/ beside the routed viewsets
    nav: Sequence[NavEntry] = ()
    api: Sequence[ApiRoute] = ()
    enterprise_panels: Sequence[Panel] = ()
    self_inspection_panels: Sequence[StartPanel] = ()
    reference: Sequence[ReferenceLoader] = ()
    demo: Sequence[DemoGenerator] = ()

    def ready(self) -> None:
        registry.add(self)
