"""The Polres Metro Bekasi study's own tables, entered with Sambang's imports, read back.

Sources (../shared/seeds/001): Table 2 and the competency table (Bhabinkamtibmas per
Polsek with general education, Dikbangspes and training), the facilities table (equipment
by condition), the 2021 DIPA budget of Satbinmas and Table 1 (social conflicts 2018–2022).
Rows are entered as printed; every figure is then read from the Polres's Anev, its Polsek
rows, the unit pages, the parent's and the national rows, and the API: they must agree.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from sambang.accounts.models import ApiToken
from sambang.demo.services import POLSEK_DISTRICTS
from sambang.evaluation.stats import poisson_change
from sambang.organization.models import Unit
from sambang.personnel.models import Role, User
from sambang.territory.models import Region, RegionLevel
from sambang.territory.services import regions_load

pytestmark = pytest.mark.django_db

POLRES = "POLRES-METRO-BEKASI"

# name, Bhabinkamtibmas, high school, higher education, Dikbangspes done, not yet
# (the competency table; training "already": every officer). As printed, Bungin's row
# reads 13 officers, 5 done and 7 not yet, which cannot be: its TOTAL row (119 done, 247
# not yet) says 6 done, and so do we.
OFFICERS: list[tuple[str, int, int, int, int, int]] = [
    ("Polres Metro Bekasi", 24, 20, 4, 6, 18),
    ("Bungin", 13, 12, 1, 6, 7),
    ("Cikarang Barat", 32, 31, 1, 5, 27),
    ("Cikarang Selatan", 42, 42, 0, 10, 32),
    ("Cikarang Utara", 21, 17, 4, 10, 11),
    ("Muara Gembong", 7, 5, 2, 2, 5),
    ("Serang Baru", 20, 20, 0, 5, 15),
    ("Tambelang", 20, 18, 2, 6, 14),
    ("Babelan", 13, 13, 0, 8, 5),
    ("Cibarusah", 26, 23, 3, 11, 15),
    ("Cikarang Pusat", 26, 21, 5, 11, 15),
    ("Cikarang Timur", 17, 16, 1, 7, 10),
    ("Kedung Waringin", 38, 34, 4, 8, 30),
    ("Pebayuran", 19, 19, 0, 10, 9),
    ("Setu", 29, 26, 3, 9, 20),
    ("Taruma Jaya", 19, 16, 3, 5, 14),
]
TOTAL = (366, 333, 33, 119, 247)  # the table's TOTAL row
EQUIPMENT = {  # kind: (good, lightly damaged, heavily damaged)
    "motorcycle": (53, 0, 0),
    "handy_talky": (15, 0, 0),
    "megaphone": (19, 0, 0),
    "officer_bag": (347, 0, 0),
    "vest": (347, 0, 0),
    "raincoat": (347, 0, 0),
    "flashlight": (153, 0, 0),
}
BUDGET_2021 = {
    "bimkamsa": 47_360_000,
    "bimtibnas": 37_500_000,
    "redawan": 26_000_000,
    "bincorpus": 26_000_000,
}
CONFLICTS = {2018: 35, 2019: 28, 2020: 10, 2021: 8, 2022: 23}


def _code(name: str) -> str:
    return POLRES if name.startswith("Polres") else "POLSEK-" + name.upper().replace(" ", "-")


def _csv(tmp_path: Path, name: str, header: str, rows: list[str]) -> str:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture
def bekasi(tmp_path: Path) -> dict[str, str]:
    """The Polres, its 15 Polsek over the regency's real villages, and the study's tables,
    each entered through its import command."""
    regions_load(regency="32.16")
    units = [
        "MABES,Korbinmas Baharkam Polri,mabes,,WIB,",
        "POLDA-METRO-JAYA,Polda Metro Jaya,polda,MABES,WIB,",
        # The Polres keeps its incidents in Sambang from 2023: before, only on paper.
        f"{POLRES},Polres Metro Bekasi,polres,POLDA-METRO-JAYA,WIB,2023-01-01",
        *(f"{_code(n)},Polsek {n},polsek,{POLRES},WIB," for n, *_ in OFFICERS[1:]),
    ]
    header = "code,name,level,parent_code,timezone,incidents_since"
    call_command("units", "import", _csv(tmp_path, "units.csv", header, units))
    districts = {r.name: r.code for r in Region.objects.filter(parent_id="32.16")}
    jurisdiction = [
        f"{_code(n)},{districts[d]}" for n, *_ in OFFICERS[1:] for d in POLSEK_DISTRICTS[n]
    ]
    call_command(
        "units",
        "import-jurisdiction",
        _csv(tmp_path, "jurisdiction.csv", "unit_code,region_code", jurisdiction),
    )
    # Every officer of the table; a Polsek's officers spread over its villages in turn (so
    # Cikarang Selatan's 42 share its 7 kelurahan, each for a group of RW, while a Polsek
    # with fewer officers than villages gives some officers several). The Polres's own
    # 24 work at its headquarters, without a village.
    villages = {
        unit: sorted(
            Region.objects.filter(
                level=RegionLevel.VILLAGE, jurisdiction__unit__code=unit
            ).values_list("code", flat=True)
        )
        for unit in (_code(n) for n, *_ in OFFICERS[1:])
    }
    rows, serial = [], 0
    for name, total, school, _higher, done, _not_yet in OFFICERS:
        unit = _code(name)
        mine = villages.get(unit, [])
        shares: dict[int, list[str]] = {i: [] for i in range(total)}
        for index in range(max(total, len(mine)) if mine else 0):
            village = mine[index % len(mine)]
            group = index // len(mine)
            part = f"={f'RW {group * 3 + 1:02d}-{group * 3 + 3:02d}'}" if total > len(mine) else ""
            shares[index % total].append(village + part)
        for i in range(total):
            serial += 1
            rows.append(
                f"{70000000 + serial},Bhabin {serial},Bripka,{unit},"
                f"{'SMA' if i < school else 'S1'},{'ya' if i < done else 'tidak'},"
                f"Binmas;Intel;IT,{';'.join(shares[i])},2022-01-01"
            )
    header = "nrp,name,rank,unit_code,education,dikbangspes,trainings,villages,assigned_from"
    call_command("officers", "import", _csv(tmp_path, "officers.csv", header, rows))

    kapolres = User.objects.create_user(
        "kapolres", role=Role.POLRES, unit=Unit.objects.get(code=POLRES)
    )
    equipment = [f"{POLRES},{k},{g},{lt},{h}" for k, (g, lt, h) in EQUIPMENT.items()]
    call_command(
        "resources",
        "import",
        "equipment",
        _csv(tmp_path, "equipment.csv", "unit,kind,good,light_damage,heavy_damage", equipment),
        "--as",
        "kapolres",
    )
    budget = [f"{POLRES},2021,{c},{a}" for c, a in BUDGET_2021.items()]
    call_command(
        "resources",
        "import",
        "budget",
        _csv(tmp_path, "budget.csv", "unit,fiscal_year,category,allocation_idr", budget),
        "--as",
        "kapolres",
    )
    counts = [f"{POLRES},{y},konflik-sosial,{n},Table 1" for y, n in CONFLICTS.items()]
    call_command(
        "history",
        "import",
        _csv(tmp_path, "conflicts.csv", "unit,year,category,count,source", counts),
        "--as",
        "kapolres",
    )
    national = User.objects.create_user(
        "korbinmas", role=Role.NATIONAL, unit=Unit.objects.get(code="MABES")
    )
    return {
        "kapolres": ApiToken.issue(kapolres, "test")[1],
        "korbinmas": ApiToken.issue(national, "test")[1],
    }


def _api(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_the_study_tables_reproduce_on_every_page_and_the_api(bekasi: dict[str, str]) -> None:
    figures = [row[1:] for row in OFFICERS]
    assert [sum(column) for column in zip(*figures, strict=True)] == list(TOTAL)
    assert all(
        n == school + higher == done + not_yet for n, school, higher, done, not_yet in figures
    )
    api = _api(bekasi["kapolres"])
    body = api.get(f"/api/v1/evaluations/{POLRES}/2022-12").json()

    # Personnel: the headquarters' row and each Polsek's, adding up to the table's total.
    rows = {(r["unit"], r["headquarters"]): r for r in body["personnel"]}
    assert len(rows) == 16
    for name, total, school, higher, done, not_yet in OFFICERS:
        row = rows[(_code(name), name.startswith("Polres"))]
        assert row["officers"] == total, name
        assert row["education"] == {"sma": school, **({"s1": higher} if higher else {})}, name
        assert (row["dikbangspes"], row["officers"] - row["dikbangspes"]) == (done, not_yet)
        assert row["trained"] == total, name
    whole = body["personnel_total"]
    assert (whole["officers"], whole["education"]) == (366, {"sma": 333, "s1": 33})
    assert (whole["dikbangspes"], whole["trained"]) == (119, 366)

    # The same officers on the unit page, the Polres's own API row, its parent's row for it
    # and the national dashboard.
    unit = api.get(f"/api/v1/units/{POLRES}").json()
    assert (unit["officers"], unit["headquarters"]["officers"]) == (366, 24)
    assert (
        unit["villages"]
        == whole["villages"]
        == Region.objects.filter(code__startswith="32.16.", level=RegionLevel.VILLAGE).count()
    )
    national = _api(bekasi["korbinmas"])
    polda_rows = national.get("/api/v1/units/?parent=POLDA-METRO-JAYA").json()["results"]
    assert [(r["code"], r["officers"]) for r in polda_rows] == [(POLRES, 366)]
    page = Client()
    page.force_login(User.objects.get(username="korbinmas"))
    home = page.get("/").content.decode()
    assert re.search(r">366<", home), "the national dashboard counts every officer"
    page.force_login(User.objects.get(username="kapolres"))
    unit_page = page.get(f"/units/{POLRES}/").content.decode()
    assert ">366<" in unit_page and "headquarters" in unit_page
    anev_page = page.get(f"/anev/{POLRES}/2022-12/").content.decode()
    assert ">366<" in anev_page and ">24<" in anev_page

    # Cikarang Selatan: 42 officers in its 7 kelurahan, every one covered, six to each.
    selatan = rows[("POLSEK-CIKARANG-SELATAN", False)]
    assert (selatan["villages"], selatan["covered"], selatan["coverage"]) == (7, 7, 100.0)
    assert (selatan["villages_per_officer"], selatan["officers_per_village"]) == (1.0, 6.0)

    # Equipment by condition, budget lines and their sum (the 2021 Anev).
    equipment = {r["kind"]: (r["good"], r["light"], r["heavy"]) for r in body["equipment"]}
    assert equipment == EQUIPMENT
    budget_2021 = api.get(f"/api/v1/evaluations/{POLRES}/2021-12").json()["budget"]
    assert {r["category"]: r["allocation"] for r in budget_2021} == BUDGET_2021
    assert sum(r["allocation"] for r in budget_2021) == 136_860_000
    assert "136860000" in page.get(f"/anev/{POLRES}/2021-12/").content.decode()

    # Social conflicts per year, on paper: 2018 has no year before it to compare with;
    # 2022 against 2021 (23 against 8) is more than chance, p ≈ 0.011.
    years = {r["year"]: r for r in body["conflicts"]}
    assert {y: r["count"] for y, r in years.items()} == CONFLICTS
    assert all(r["aggregate"] for r in years.values())
    assert years[2018]["previous"] is None and years[2018]["change"] is None
    change = years[2022]["change"]
    assert change["p_value"] == pytest.approx(poisson_change(23, 8).p_value)
    assert round(change["p_value"], 3) == 0.011 and change["significant"] is True
    assert "on paper" in anev_page
