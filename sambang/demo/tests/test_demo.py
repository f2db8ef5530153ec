from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.test.utils import override_settings

from sambang.demo.services import DEMO_PASSWORD, POLSEK_DISTRICTS
from sambang.organization.models import Jurisdiction, Unit, UnitLevel
from sambang.personnel.models import Assignment, Officer, OfficerStatus, Role, User
from sambang.territory.models import Region, RegionLevel

DEMO_DAYS = 3  # field work has tests of its own


@pytest.mark.django_db
def test_the_demo_refuses_to_run_in_production(settings: Any) -> None:
    settings.DEMO_MODE, settings.DEBUG = False, False
    with pytest.raises(CommandError, match="only with DEBUG on or SAMBANG_DEMO=1"):
        call_command("demo", "--reset")
    assert not Unit.objects.exists()


def test_the_demo_builds_kabupaten_bekasi_under_polda_metro_jaya(demo: str) -> None:
    polres = Unit.objects.get(code="POLRES-METRO-BEKASI")
    assert polres.parent.name == "Polda Metro Jaya"  # type: ignore[union-attr]
    polsek = Unit.objects.filter(level=UnitLevel.POLSEK)
    assert polsek.count() == 15
    assert {u.name.removeprefix("Polsek ") for u in polsek} == set(POLSEK_DISTRICTS)
    villages = Region.objects.within("32.16").filter(level=RegionLevel.VILLAGE)
    assert villages.count() == 187
    # Every village of the regency is covered by exactly one Polsek.
    assert Jurisdiction.objects.count() == 187
    assert Jurisdiction.objects.filter(unit__level=UnitLevel.POLSEK).count() == 187


def test_the_demo_has_about_150_officers_and_one_village_in_ten_without_one(demo: str) -> None:
    active = Officer.objects.filter(status=OfficerStatus.ACTIVE)
    assert 150 <= active.count() <= 175
    # Both patterns of the field: Cikarang Selatan's kelurahan have three officers each, one
    # per group of RW and one of them the contact; rural officers cover several villages;
    # four officers work at the Polres headquarters, without a village.
    selatan = Assignment.objects.filter(
        end_date__isnull=True, village__jurisdiction__unit__code="POLSEK-CIKARANG-SELATAN"
    )
    per_village = Counter(selatan.values_list("village_id", flat=True))
    assert set(per_village.values()) == {3}
    assert selatan.filter(is_contact=True).count() == len(per_village)
    assert set(selatan.values_list("area", flat=True)) == {"RW 01-05", "RW 06-10", "RW 11-15"}
    per_officer = Counter(
        Assignment.objects.filter(end_date__isnull=True).values_list("officer_id", flat=True)
    )
    assert max(per_officer.values()) >= 2
    assert active.filter(unit__code="POLRES-METRO-BEKASI", assignments__isnull=True).count() == 4
    covered = Assignment.objects.filter(end_date__isnull=True).values("village").distinct().count()
    assert 0.85 <= covered / 187 <= 0.93
    assert active.filter(dikbangspes_done=False).exists()
    assert active.exclude(other_duties=[]).exists()
    assert {o.rank for o in active} >= {"brigpol", "bripka", "aipda"}
    assert Officer.objects.filter(
        status=OfficerStatus.TRANSFERRED, assignments__end_date__isnull=False
    ).exists()


def test_the_demo_is_deterministic_and_loads_once(
    demo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    names = list(Officer.objects.order_by("nrp").values_list("nrp", "name", "rank"))
    call_command("demo")
    assert "Building" not in capsys.readouterr().out
    assert list(Officer.objects.order_by("nrp").values_list("nrp", "name", "rank")) == names


# Outside a test transaction: --reset flushes the database, as it does for a user.
@pytest.mark.django_db(transaction=True)
def test_a_reset_rebuilds_the_same_demo() -> None:
    call_command("demo", "--days", "3")
    names = list(Officer.objects.order_by("nrp").values_list("nrp", "name", "rank"))
    Officer.objects.filter(pk__in=Officer.objects.values("pk")[:3]).update(name="Changed")
    call_command("demo", "--reset", "--days", "3")
    assert list(Officer.objects.order_by("nrp").values_list("nrp", "name", "rank")) == names


def test_the_demo_prints_one_login_per_role(demo: str) -> None:
    for username in ["bhabin", "kapolsek", "kapolres", "dirbinmas", "korbinmas", "admin"]:
        assert username in demo
    assert DEMO_PASSWORD in demo
    assert set(User.objects.filter(is_demo=True).values_list("role", flat=True)) == set(Role.values)


@pytest.mark.parametrize(
    ("username", "sees", "does_not_see"),
    [
        ("bhabin", "Desa binaan saya", "Polsek Setu"),
        ("kapolsek", "Polsek Cikarang Barat", "Polsek Setu"),
        ("kapolres", "Polsek Setu", None),
        ("korbinmas", "Polda Metro Jaya", None),
    ],
)
def test_each_demo_login_sees_its_scope(
    demo: str, client: Client, username: str, sees: str, does_not_see: str | None
) -> None:
    with override_settings(DEMO_MODE=True, LANGUAGE_CODE="id"):
        assert client.login(username=username, password=DEMO_PASSWORD)
        html = client.get("/").content.decode()
    assert sees in html
    if does_not_see:
        assert does_not_see not in html


def test_the_demo_partners_see_their_village_and_the_babinsa_confirmed_a_patrol(
    demo: str, client: Client
) -> None:
    from sambang.community.models import Partner
    from sambang.fieldwork.models import ActivityReport, IntegrityLevel

    babinsa = Partner.objects.get(account__username="babinsa")
    head = Partner.objects.get(account__username="kades")
    assert babinsa.village == head.village
    patrol = ActivityReport.objects.get(partner_answers__partner=babinsa)
    assert {"code": "partner", "status": "pass", "params": {"confirmed": 1}} in (
        patrol.integrity_signals
    )
    assert patrol.integrity_level == IntegrityLevel.VERIFIED
    others = Partner.objects.filter(kind="village_head").exclude(village=head.village)
    with override_settings(DEMO_MODE=True, LANGUAGE_CODE="id"):
        assert client.login(username="kades", password=DEMO_PASSWORD)
        home = client.get("/").content.decode()
        waiting = ActivityReport.objects.get(partner_records=head, partner_answers=None)
        assert head.village.name in home and f"/partner/activities/{waiting.uuid}/" in home
        assert client.get(f"/partner/villages/{head.village_id}/").status_code == 200
        other = others.first()
        assert other is not None
        assert client.get(f"/partner/villages/{other.village_id}/").status_code == 404
        assert client.get("/field/reports/").status_code == 403


def test_the_demo_officer_passed_the_modules_and_the_polseks_anev_counts_them(
    demo: str, client: Client
) -> None:
    from sambang.knowledge.models import TrainingModule

    officer = User.objects.get(username="bhabin").officer
    assert officer is not None
    modules = TrainingModule.objects.filter(active=True).count()
    assert set(officer.module_attempts.filter(passed=True).values_list("module", flat=True)) == set(
        TrainingModule.objects.filter(active=True).values_list("pk", flat=True)
    )
    with override_settings(DEMO_MODE=True, LANGUAGE_CODE="en"):
        assert client.login(username="kapolsek", password=DEMO_PASSWORD)
        page = client.get(f"/knowledge/training/units/{officer.unit.code}/").content.decode()
        assert f"{modules}/{modules}" in page  # the showcase officer's row
        found = re.search(r"training modules: (\d+) of (\d+) active officers", page)
        assert found is not None and 1 <= int(found[1]) <= int(found[2])


def test_demo_logins_are_refused_outside_demo_mode(demo: str, client: Client) -> None:
    with override_settings(DEMO_MODE=False):
        assert not client.login(username="kapolres", password=DEMO_PASSWORD)


def test_the_demo_has_residents_reports_in_every_state_and_directives(demo: str) -> None:
    from sambang.organization.models import Directive, DirectiveReceipt
    from sambang.public.models import CitizenReport, CitizenStatus
    from sambang.public.selectors import overdue_filter

    assert set(CitizenReport.objects.values_list("status", flat=True)) == set(CitizenStatus.values)
    assert CitizenReport.objects.filter(overdue_filter()).exists()
    assert CitizenReport.objects.filter(anonymous=False).exists()
    # Three, the partners' (the Polsek's, also to the villages' partners) and the election's.
    assert Directive.objects.count() == 5
    assert Directive.objects.filter(to_partners=True).count() == 1
    assert DirectiveReceipt.objects.filter(completed_at__isnull=False).exists()
    assert DirectiveReceipt.objects.filter(acknowledged_at__isnull=True).exists()


def test_the_demo_has_five_years_of_social_conflicts_shaped_like_the_research(demo: str) -> None:
    import datetime as dt

    from sambang.demo.community import SOCIAL_CONFLICTS_PER_YEAR
    from sambang.security.models import Incident, PersonOfInterest

    year = dt.date.today().year
    per_year = [
        Incident.objects.filter(category__social_conflict=True, occurred_at__year=y).count()
        for y in range(year - 5, year)
    ]
    assert per_year == SOCIAL_CONFLICTS_PER_YEAR
    assert (
        Incident.objects.filter(category__code="antar-kelompok").count()
        > Incident.objects.filter(category__code="sara").count()
    )
    assert PersonOfInterest.objects.count() == 5


def test_the_demo_villages_have_profiles_figures_partners_posts_and_spots(demo: str) -> None:
    from sambang.community.models import (
        KeyFigure,
        Partner,
        PoskamlingPost,
        VillageProfile,
        VulnerableSpot,
    )

    assert VillageProfile.objects.count() >= 180
    assert VillageProfile.objects.filter(factors__level="high").exists()
    for model in (KeyFigure, Partner, PoskamlingPost, VulnerableSpot):
        assert model.objects.exists(), model


def test_the_demo_command_reports_each_step_when_not_on_a_terminal(tmp_path: Any) -> None:
    """``make demo`` in a log or CI: no terminal for the progress bars, a line per step."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sambang.config.settings.local",
        "SAMBANG_DATA_DIR": str(tmp_path),
        "SAMBANG_DEMO": "1",
    }
    env.pop("DATABASE_URL", None)
    manage = [sys.executable, "-m", "sambang"]
    subprocess.run([*manage, "migrate", "--no-input"], env=env, check=True, capture_output=True)
    done = subprocess.run(
        [*manage, "demo", "--days", "1"], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    steps = [line.split(":")[0] for line in done.stderr.splitlines() if " done in " in line]
    assert steps == [
        "Regions and outlines",
        "Units and officers",
        "Field work",
        "Residents and villages",
        "Rollups",
        "Resources and Anev",
        "Early warning",
    ]
    assert "Built in" in done.stdout and "kapolres" in done.stdout


def test_the_demo_shows_alerts_with_evidence_their_follow_up_and_an_election(
    demo: str, client: Client
) -> None:
    from sambang.alerts.models import Alert, AlertStatus, ElectionEntry, ElectionPeriod

    thefts = Alert.objects.filter(family="incidents", village__isnull=False)
    assert thefts.exists()
    assert Alert.objects.filter(status=AlertStatus.ACKNOWLEDGED).exists()
    assert ElectionEntry.objects.filter(period__in=ElectionPeriod.objects.all()).count() >= 3
    with override_settings(DEMO_MODE=True, LANGUAGE_CODE="id"):
        assert client.login(username="kapolsek", password=DEMO_PASSWORD)
        listed = client.get("/alerts/?status=all").content.decode()
        alert = thefts.filter(unit__code="POLSEK-CIKARANG-BARAT").first()
        assert alert is not None and f"/alerts/{alert.pk}/" in listed
        page = client.get(f"/alerts/{alert.pk}/").content.decode()
        assert "/incidents/" in page  # the records behind it, linked
        assert client.login(username="kapolres", password=DEMO_PASSWORD)
        period = ElectionPeriod.objects.get()
        assert client.get(f"/alerts/election/{period.pk}/").status_code == 200
        ranked = client.get("/alerts/vulnerability/POLRES-METRO-BEKASI/")
        assert ranked.status_code == 200
