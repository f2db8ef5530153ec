"""The library (searched in Indonesian, linked from the report form) and the training
modules (scored, kept per officer, counted in the officer's record and the Anev)."""

from __future__ import annotations

import re

from django.test import Client

from sambang.knowledge.models import Attempt, Document, TrainingModule
from sambang.knowledge.search import library_search, stems
from sambang.personnel.models import Role
from sambang.testing.world import World


def signed_in(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def test_the_library_is_searched_in_indonesian(world: World) -> None:
    # Any form of a word finds the others: the stem is what is compared.
    assert stems("pembinaan membina dibina") == ["bina", "bina", "bina"]
    assert stems("Kemitraan bermitra") == ["mitra", "mitra"]
    assert library_search("kesepakatan mediasi")[0].document.slug == "panduan-mediasi"
    # "berselisih" finds the rule that speaks of "perselisihan" only.
    disputes = [f.document.slug for f in library_search("berselisih")]
    assert "perpol-7-2021-bhabinkamtibmas" in disputes
    assert "panduan-tiga-pilar" in [f.document.slug for f in library_search("bermitra")]
    assert library_search("") == [] and library_search("123 !!") == []
    assert library_search("xylofon") == []
    # A document whose title holds the words ranks above one that only mentions them.
    ranked = [f.document.slug for f in library_search("deteksi dini")]
    assert ranked[0] == "panduan-deteksi-dini"
    # The page: every staff role reads and searches; the excerpt shows where it matched.
    for role in (Role.OFFICER, Role.POLSEK, Role.ADMIN):
        page = signed_in(world, role).get("/knowledge/", {"q": "mediasi"})
        assert page.status_code == 200 and "/knowledge/panduan-mediasi/" in page.content.decode()
    document = signed_in(world, Role.OFFICER).get("/knowledge/panduan-mediasi/").content.decode()
    assert "<h2>Langkah</h2>" in document and "<li>" in document  # Markdown, rendered
    assert "Sambang — panduan kerja" in document and "2026" in document  # source, version
    # Partners read only their own pages.
    assert signed_in(world, Role.PARTNER).get("/knowledge/").status_code == 403


def test_the_report_form_links_each_activity_type_to_its_guidance(world: World) -> None:
    page = signed_in(world, Role.OFFICER).get("/field/reports/new/?type=dds").content.decode()
    guidance = re.search(r'<p class="help" data-guidance="dds">(.*?)</p>', page, re.S)
    assert guidance is not None and "/knowledge/panduan-sambang-dds/" in guidance[1]
    hidden = re.search(r'<p class="help" data-guidance="problem-solving" hidden>', page)
    assert hidden is not None  # shown by the form's script when that type is chosen
    assert (
        Document.objects.get(slug="panduan-mediasi")
        .activity_types.filter(code="problem-solving")
        .exists()
    )


def test_an_officer_passes_a_module_and_the_anev_counts_it(world: World) -> None:
    officer = signed_in(world, Role.OFFICER)
    module = TrainingModule.objects.get(slug="mediasi")
    questions = list(module.questions.order_by("order", "pk"))
    page = officer.get("/knowledge/training/mediasi/").content.decode()
    assert all(q.text in page for q in questions)
    # Unanswered questions: refused, nothing kept.
    incomplete = officer.post("/knowledge/training/mediasi/", {f"q{questions[0].pk}": "0"})
    assert incomplete.status_code == 400 and not Attempt.objects.exists()
    # Three of five right: below the pass mark (80%).
    answers = {f"q{q.pk}": str(q.correct if n < 3 else (q.correct + 1) % len(q.choices))
               for n, q in enumerate(questions)}  # fmt: skip
    failed = officer.post("/knowledge/training/mediasi/", answers)
    assert failed.status_code == 200
    attempt = Attempt.objects.get()
    assert (attempt.correct, attempt.total, attempt.passed) == (3, 5, False)
    assert "3 of 5 right" in failed.content.decode()
    # All right: passed; the record and the unit's completion count it.
    all_right = {f"q{q.pk}": str(q.correct) for q in questions}
    officer.post("/knowledge/training/mediasi/", all_right)
    assert Attempt.objects.filter(passed=True).count() == 1
    nrp = world.officers["polsek_a1a"].nrp
    total = TrainingModule.objects.filter(active=True).count()
    record = signed_in(world, Role.POLSEK).get(f"/officers/{nrp}/").content.decode()
    assert f"1 of {total} passed" in record
    listing = officer.get("/knowledge/training/").content.decode()
    assert f"Passed: 1 of {total}" in listing
    # Completion counts officers who passed every module: none yet, then this one.
    polsek = signed_in(world, Role.POLSEK)
    unit = world.units["polsek_a1a"].code
    assert (
        "0 of 2 active officers"
        in polsek.get(f"/knowledge/training/units/{unit}/").content.decode()
    )
    anev_month = "2026-11"
    for other in TrainingModule.objects.exclude(pk=module.pk):
        officer.post(
            f"/knowledge/training/{other.slug}/",
            {f"q{q.pk}": str(q.correct) for q in other.questions.all()},
        )
    completion = polsek.get(f"/knowledge/training/units/{unit}/").content.decode()
    assert "1 of 2 active officers" in completion
    polres = signed_in(world, Role.POLRES).get(
        f"/knowledge/training/units/{world.units['polres_a1'].code}/"
    )
    assert f"/knowledge/training/units/{unit}/" in polres.content.decode()
    anev = polsek.get(f"/anev/{unit}/{anev_month}/").content.decode()
    assert '<td class="num">1/2</td>' in anev  # the personnel table's module column
    api = polsek.get(f"/api/v1/evaluations/{unit}/{anev_month}").json()
    assert api["personnel_total"]["modules_done"] == 1
    # Only officers take modules; a sibling Polsek's completion is not the Polsek's to see.
    assert polsek.get("/knowledge/training/mediasi/").status_code == 403
    sibling = world.units["polsek_a1b"].code
    assert polsek.get(f"/knowledge/training/units/{sibling}/").status_code == 404
