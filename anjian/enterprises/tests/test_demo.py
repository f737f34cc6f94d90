"""The demo city generator and the `generate-demo` / `demo` commands (issue 2 item 10)."""

import csv
import datetime as dt
import io
import math
from importlib import resources

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from anjian.accounts.models import User
from anjian.accounts.roles import Role
from anjian.enterprises import demo
from anjian.enterprises.choices import SupervisionDomain
from anjian.enterprises.models import ArchiveDocument, Enterprise, LiabilityInsurance, Licence
from anjian.enterprises.tests.factories import EnterpriseFactory
from anjian.regions.models import Region
from anjian.regions.services import city_outline
from anjian.standards import uscc

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 29)


@pytest.fixture
def reference(reference_regions, industries):
    """Regions and industries loaded (anjian/conftest.py), registry empty."""


def city(**kwargs):
    return demo.generate(today=TODAY, **kwargs)


def snapshot():
    return list(Enterprise.objects.order_by("uscc").values_list(
        "uscc", "name", "region__code", "latitude", "longitude", "industry_id", "domain", "size", "major_hazard",
        "small_venue",
    ))


def test_same_seed_same_city_and_replace_regenerates_it(reference):
    first = city(enterprises=300, seed=7)
    assert first.enterprises == 300
    before = snapshot()
    licences = sorted(Licence.objects.values_list("number", "valid_to"))
    again = city(enterprises=300, seed=7, replace=True)
    assert again.deleted == 300
    assert snapshot() == before
    assert sorted(Licence.objects.values_list("number", "valid_to")) == licences
    city(enterprises=300, seed=8, replace=True)
    assert snapshot() != before


def test_records_are_valid_and_inside_their_real_village(reference):
    city(enterprises=1500, seed=2026)
    with (resources.files("anjian.regions") / "data" / "divisions_dongguan.csv").open(encoding="utf-8") as handle:
        villages = {row["code"] for row in csv.DictReader(handle) if row["level"] == "village"}
    outline = demo.CityOutline.from_geojson(city_outline())
    names = set()
    for enterprise in Enterprise.objects.select_related("region__parent"):
        assert uscc.validate(enterprise.uscc) == enterprise.uscc
        assert enterprise.region.code in villages
        assert enterprise.region.name[:2] in enterprise.address
        lat, lng = float(enterprise.latitude), float(enterprise.longitude)
        assert demo.inside_city(lat, lng, outline)
        town = enterprise.region.parent
        km = math.hypot(
            (lat - float(town.latitude)) * demo.KM_PER_DEGREE_LATITUDE,
            (lng - float(town.longitude)) * demo.KM_PER_DEGREE_LATITUDE * math.cos(math.radians(lat)),
        )
        assert km <= demo.OFFSET_RADIUS_KM + 0.01, (enterprise, town)
        assert enterprise.name.endswith("有限公司")
        names.add(enterprise.name)
        if enterprise.major_hazard or enterprise.key_process:
            assert enterprise.domain == SupervisionDomain.HAZARDOUS_CHEMICALS
        if enterprise.small_venue:
            assert enterprise.size in {"micro", "small"}
            assert enterprise.domain in {SupervisionDomain.COMMERCE, SupervisionDomain.LIGHT_INDUSTRY}
        if enterprise.above_scale:
            assert enterprise.size != "micro"
    assert len(names) == 1500
    # Django's own validation agrees with the generator on a sample (validators, village level, lat/lng ranges).
    for enterprise in Enterprise.objects.order_by("id")[:50]:
        enterprise.full_clean()


def test_mix_of_domains_flags_and_expiry(reference):
    city(enterprises=4000, seed=11)
    total = Enterprise.objects.count()

    def share(**flag):
        return Enterprise.objects.filter(**flag).count() / total

    assert 0.35 < share(domain__in=["commerce", "machinery"]) < 0.7
    assert 0.01 < share(domain="hazchem") < 0.03
    assert 0.18 < share(small_venue=True) < 0.32
    assert share(major_hazard=True) < 0.01
    assert 0.5 < share(size="micro") < 0.6
    hazchem = Enterprise.objects.filter(domain="hazchem").values("pk")
    assert Licence.objects.filter(enterprise__in=hazchem).values("enterprise").distinct().count() == len(hazchem)
    assert LiabilityInsurance.objects.filter(enterprise__domain="hazchem").exists()
    assert ArchiveDocument.objects.exists()
    warn_by = TODAY + dt.timedelta(days=30)
    for model in (Licence, LiabilityInsurance, ArchiveDocument):
        rows = model.objects.count()
        warned = model.objects.filter(valid_to__lte=warn_by).count()
        assert 0 < warned < rows * 0.12, model


def test_generated_data_has_no_history(reference):
    city(enterprises=50, seed=1)
    assert Enterprise.history.count() == 0
    assert Licence.history.count() == 0


def test_refuses_a_non_empty_registry(reference):
    EnterpriseFactory()
    with pytest.raises(demo.DemoError, match="--replace"):
        city(enterprises=10, seed=1)
    # --replace removes generated data only; an enterprise registered by hand is never deleted.
    with pytest.raises(demo.DemoError, match="非演示"):
        city(enterprises=10, seed=1, replace=True)
    assert Enterprise.objects.count() == 1


def test_replace_keeps_accounts_that_are_not_demo_accounts(reference):
    city(enterprises=20, seed=3)
    enterprise = Enterprise.objects.order_by("id").first()
    User.objects.create(username="real_manager", role=Role.ENTERPRISE_USER, enterprise=enterprise)
    with pytest.raises(demo.DemoError, match="real_manager"):
        city(enterprises=20, seed=3, replace=True)
    assert Enterprise.objects.count() == 20


def test_city_outline_point_in_polygon():
    square = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [
        [[113.6, 22.7], [114.0, 22.7], [114.0, 23.0], [113.6, 23.0], [113.6, 22.7]],
        [[113.7, 22.8], [113.8, 22.8], [113.8, 22.9], [113.7, 22.9], [113.7, 22.8]],  # a hole
    ]}}
    outline = demo.CityOutline.from_geojson(square)
    assert outline.contains(113.65, 22.75)
    assert not outline.contains(113.75, 22.85)
    assert not outline.contains(114.1, 22.85)
    assert demo.CityOutline.from_geojson(None) is None
    assert not demo.inside_city(22.5, 113.7, None)
    assert demo.inside_city(22.9, 113.7, None)


def test_generate_demo_command(reference):
    out = io.StringIO()
    call_command("generate_demo", "--enterprises", "30", "--seed", "5", stdout=out)
    assert "已生成企业 30 家" in out.getvalue()
    with pytest.raises(CommandError, match="--replace"):
        call_command("generate_demo", "--enterprises", "30", stdout=io.StringIO())
    with pytest.raises(CommandError, match="大于 0"):
        call_command("generate_demo", "--enterprises", "0", "--replace", stdout=io.StringIO())


def test_generate_demo_without_reference_data_says_what_to_do(reference):
    Region.objects.filter(level="village").delete()
    with pytest.raises(CommandError, match="load-reference"):
        call_command("generate_demo", "--enterprises", "5", stdout=io.StringIO())


def test_demo_command_prepares_a_city_and_one_account_per_role(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    call_command("demo", "--no-serve", "--enterprises", "200", stdout=out)
    text = out.getvalue()
    assert "Demo-2026-anjian" in text and "仅供演示" in text
    assert Enterprise.objects.count() == 200
    accounts = {user.role: user for user in User.objects.filter(username__startswith="demo_")}
    assert set(accounts) == set(Role.values)
    for user in accounts.values():
        assert user.check_password("Demo-2026-anjian")
        assert user.username in text
    assert accounts[Role.TOWN_SUPERVISOR].region.code == "441900003000"
    assert accounts[Role.GRID_WORKER].region.parent.code == "441900003000"
    assert accounts[Role.ENTERPRISE_USER].enterprise.region.parent.code == "441900003000"
    assigned = accounts[Role.EXPERT].assigned_enterprises.all()
    assert 0 < len(assigned) <= 5
    visible = Enterprise.objects.restrict(accounts[Role.TOWN_SUPERVISOR], "view")
    assert visible.exists() and not visible.exclude(region__parent__code="441900003000").exists()
    assert (tmp_path / demo.SAMPLE_PDF_NAME).exists() or not ArchiveDocument.objects.exists()
    # A second run keeps the city and resets the accounts.
    call_command("demo", "--no-serve", stdout=io.StringIO())
    assert Enterprise.objects.count() == 200
    assert User.objects.filter(username__startswith="demo_").count() == len(Role.values)


def test_serve_checks_migrations_collects_static_and_execs_gunicorn(monkeypatch):
    from anjian.platform.management.commands import serve

    calls = []
    monkeypatch.setattr(serve, "call_command", lambda *args, **kwargs: calls.append(args))
    monkeypatch.setattr(serve.os, "execv", lambda path, argv: calls.append(tuple(argv)))
    assert serve.unapplied_migrations() == []
    call_command("serve", "--bind", "127.0.0.1:9000", "--workers", "3", stdout=io.StringIO())
    assert calls[0] == ("collectstatic",)
    argv = calls[1]
    assert argv[1:4] == ("-m", "gunicorn", "config.wsgi:application")
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:9000" and argv[argv.index("--workers") + 1] == "3"


def test_serve_refuses_pending_migrations(monkeypatch):
    from anjian.platform.management.commands import serve

    monkeypatch.setattr(serve, "unapplied_migrations", lambda: ["enterprises.9999_future"])
    monkeypatch.setattr(serve.os, "execv", lambda *args: pytest.fail("must not start gunicorn"))
    with pytest.raises(CommandError, match="anjian migrate"):
        call_command("serve", stdout=io.StringIO())


def test_the_demo_worker_is_a_huey_consumer_that_runs_beside_the_server(tmp_path, monkeypatch):
    """`anjian demo` starts `anjian run_huey` (issue 7 item 1): a real consumer on the data directory's queue."""
    import time

    from anjian.platform.management.commands.demo import start_worker

    monkeypatch.setenv("ANJIAN_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("ANJIAN_REDIS_URL", raising=False)
    worker = start_worker(workers=1)
    try:
        deadline = time.monotonic() + 30
        while not (tmp_path / "huey.sqlite3").exists() and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.2)
        assert worker.poll() is None, "the consumer keeps running"
        assert (tmp_path / "huey.sqlite3").exists(), "on the queue in the data directory"
    finally:
        worker.terminate()
        worker.wait(timeout=30)
