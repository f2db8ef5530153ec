"""Creating logins: accounts without a password, opened once by a printable activation
(password, and the authenticator for supervisors), within the creator's scope, audited."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.hashers import check_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from sambang.accounts.models import Activation, format_code
from sambang.accounts.tests.test_signin import code_for, no_code_delay, signed_in
from sambang.audit.models import AuditEvent
from sambang.personnel.models import Officer, Role, User
from sambang.testing.world import World

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "kopi tubruk di pos ronda"
CODE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")
# Passwords published or guessable: no new account may ever sign in with one.
KNOWN = ["", "sambang-generated", "sambang-demo", "correct horse battery staple", "password"]


def page(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def api(world: World, role: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[role]}")
    return client


def codes_in(html: str) -> list[str]:
    """The activation codes on a page, each once (a code is also part of its link)."""
    return list(dict.fromkeys(CODE.findall(html)))


def as_seen(content: bytes) -> str:
    """A page without what differs on every request (its CSRF token, its own address)."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", content.decode())
    return CODE.sub("CODE", text)


def activate(link_code: str, password: str = NEW_PASSWORD, **extra: str) -> Any:
    return Client().post(
        f"/accounts/activate/{link_code}/", {"password1": password, "password2": password, **extra}
    )


def can_sign_in(username: str, password: str) -> bool:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302 and signed_in(client)


def unusable(user: User) -> bool:
    user.refresh_from_db()
    return not user.has_usable_password() and not any(
        check_password(p, user.password) for p in KNOWN
    )


def accounts_csv(text: str, name: str = "accounts.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def counts() -> tuple[int, int, int]:
    return User.objects.count(), Activation.objects.count(), AuditEvent.objects.count()


# --- one officer ---------------------------------------------------------------------------


def test_a_supervisor_creates_a_login_for_an_officer_of_their_unit_and_it_is_audited(
    world: World,
) -> None:
    officer = world.officers["polsek_a1b"]
    supervisor = world.users[Role.POLRES]
    response = page(world, Role.POLRES).post(f"/accounts/logins/officers/{officer.nrp}/")
    assert response.status_code == 201
    html = response.content.decode()
    [code] = codes_in(html)
    assert f"/accounts/activate/{code}/" in html and officer.nrp in html
    assert response["Cache-Control"].count("no-store")
    officer.refresh_from_db()
    account = officer.user
    assert account is not None
    assert (account.username, account.role, account.unit) == (
        officer.nrp,
        Role.OFFICER,
        officer.unit,
    )
    assert unusable(account)
    activation = Activation.objects.get(user=account)
    assert activation.created_by == supervisor and activation.used_at is None
    assert code.replace("-", "") not in activation.digest  # only a hash is kept
    expected = timezone.now() + dt.timedelta(days=7)
    assert abs(activation.expires_at - expected) < dt.timedelta(minutes=1)
    events = AuditEvent.objects.filter(user=supervisor).order_by("id")
    assert [(e.action, e.detail["change"]) for e in events] == [
        ("create", "account_created"),
        ("create", "activation_issued"),
    ]
    assert events[0].object_id == str(account.pk) and events[0].detail["officer"] == officer.nrp
    assert events[1].object_type == "accounts.activation"


def test_logins_are_created_only_for_officers_of_the_creators_subtree(world: World) -> None:
    polsek = page(world, Role.POLSEK)  # Polsek A1A
    sibling, parent = world.officers["polsek_a1b"], world.officers["polres_a1"]
    other_polda = world.officers["polsek_b1a"]
    before = counts()
    for officer in (sibling, parent, other_polda):
        assert polsek.post(f"/accounts/logins/officers/{officer.nrp}/").status_code == 404
        body = api(world, Role.POLSEK).post(
            "/api/v1/accounts/", {"officer": officer.nrp}, format="json"
        )
        assert body.status_code == 400
        assert body.json()["error"]["fields"]["officer"] == [
            "Nothing with this code in your scope."
        ]
    # Officers create no logins at all, not even their colleague's.
    assert world.colleague is not None
    colleague = world.colleague.nrp
    officer_page = page(world, Role.OFFICER)
    assert officer_page.post(f"/accounts/logins/officers/{colleague}/").status_code in (403, 404)
    assert officer_page.get("/accounts/logins/").status_code == 403
    refused = api(world, Role.OFFICER).post("/api/v1/accounts/", {"officer": colleague})
    assert refused.status_code == 403
    assert counts() == before
    # The same supervisor, for an officer of their own Polsek: created.
    response = api(world, Role.POLSEK).post("/api/v1/accounts/", {"officer": colleague})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["username"] == colleague and body["role"] == Role.OFFICER
    assert CODE.fullmatch(body["code"]) and body["url"].endswith(
        f"/accounts/activate/{body['code']}/"
    )
    # An officer who has an account already gets none twice.
    again = api(world, Role.POLSEK).post("/api/v1/accounts/", {"officer": colleague})
    assert again.status_code == 400 and "officer" in again.json()["error"]["fields"]


def test_supervisors_create_supervisor_accounts_only_below_their_own_level(world: World) -> None:
    units = world.units
    polres = api(world, Role.POLRES)  # Polres A1

    def create(client: APIClient, **values: str) -> Any:
        return client.post("/api/v1/accounts/", values, format="json")

    before = counts()
    refused = {
        "own unit": create(
            polres, username="kapolres2", role="polres", unit=units["polres_a1"].code
        ),
        "sibling": create(
            polres, username="kapolres3", role="polres", unit=units["polres_a2"].code
        ),
        "parent": create(polres, username="kapolda2", role="polda", unit=units["polda_a"].code),
        "sibling's Polsek": create(
            polres, username="kapolsek9", role="polsek", unit=units["polsek_a2a"].code
        ),
        "national": create(polres, username="korbinmas2", role="national", unit="MABES"),
        "admin": create(api(world, Role.POLDA), username="root2", role="admin"),
        "officer role": create(polres, username="bhabin", role="officer"),
        "unknown unit": create(polres, username="kapolsek8", role="polsek", unit="NO-SUCH"),
        "wrong level": create(
            polres, username="kapolsek7", role="polres", unit=units["polsek_a1a"].code
        ),
    }
    for why, response in refused.items():
        assert response.status_code == 400, (why, response.content)
        assert set(response.json()["error"]["fields"]) & {"unit", "role"}, why
    assert counts() == before
    created = create(
        polres,
        username="kapolsek-a1a",
        name="AKP Sutrisno",
        role="polsek",
        unit=units["polsek_a1a"].code,
    )
    assert created.status_code == 201, created.json()
    account = User.objects.get(username="kapolsek-a1a")
    assert (account.role, account.unit, account.get_full_name()) == (
        Role.POLSEK,
        units["polsek_a1a"],
        "AKP Sutrisno",
    )
    assert unusable(account)
    # National and administrator accounts come only from an administrator.
    admin = api(world, Role.ADMIN)
    assert create(admin, username="korbinmas2", role="national", unit="MABES").status_code == 201
    assert create(admin, username="root2", role="admin").status_code == 201
    taken = create(admin, username="KAPOLSEK-A1A", role="polsek", unit=units["polsek_a1b"].code)
    assert taken.json()["error"]["fields"]["username"] == ["This username is taken."]


# --- activation ----------------------------------------------------------------------------


def test_an_activation_sets_the_password_once(world: World) -> None:
    officer = world.officers["polsek_a1b"]
    code = codes_in(
        page(world, Role.POLRES).post(f"/accounts/logins/officers/{officer.nrp}/").content.decode()
    )[0]
    assert not can_sign_in(officer.nrp, NEW_PASSWORD)
    shown = Client().get(f"/accounts/activate/{code}/")
    assert shown.status_code == 200
    html = shown.content.decode()
    assert officer.nrp in html and officer.unit.name in html and "<svg" not in html
    weak = activate(code, "12345678")
    assert weak.status_code == 400 and "too short" in weak.content.decode()
    mismatch = Client().post(
        f"/accounts/activate/{code}/", {"password1": NEW_PASSWORD, "password2": "something else"}
    )
    assert mismatch.status_code == 400
    assert not can_sign_in(officer.nrp, NEW_PASSWORD)
    done = activate(code.lower().replace("-", ""))  # typed as it comes: any case, no dashes
    assert done.status_code == 302 and done["Location"] == "/accounts/login/"
    assert can_sign_in(officer.nrp, NEW_PASSWORD)
    account = User.objects.get(username=officer.nrp)
    event = AuditEvent.objects.get(user=account)
    assert (event.action, event.detail["change"], event.detail["two_factor"]) == (
        "update",
        "account_activated",
        False,
    )
    assert Activation.objects.get(user=account).used_at is not None
    # Used up: the link now answers as an unknown one, and sets nothing.
    gone = Client().get(f"/accounts/activate/{code}/")
    unknown = Client().get(f"/accounts/activate/{format_code('0' * 16)}/")
    assert gone.status_code == unknown.status_code == 404
    assert as_seen(gone.content) == as_seen(unknown.content)
    assert activate(code, "another long passphrase").status_code == 404
    assert can_sign_in(officer.nrp, NEW_PASSWORD)


def test_an_expired_or_replaced_activation_is_refused(world: World) -> None:
    officer = world.officers["polsek_a1b"]
    client = page(world, Role.POLRES)
    first = codes_in(client.post(f"/accounts/logins/officers/{officer.nrp}/").content.decode())[0]
    # A new activation (lost link): the first one stops working.
    second = codes_in(client.post(f"/accounts/logins/officers/{officer.nrp}/").content.decode())[0]
    assert first != second
    assert Client().get(f"/accounts/activate/{first}/").status_code == 404
    assert Client().get(f"/accounts/activate/{second}/").status_code == 200
    Activation.objects.filter(user__username=officer.nrp).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    expired = Client().get(f"/accounts/activate/{second}/")
    assert expired.status_code == 404
    assert "does not work" in expired.content.decode()
    assert activate(second).status_code == 404
    assert unusable(User.objects.get(username=officer.nrp))
    assert Client().get("/accounts/activate/not-a-code/").status_code == 404


def test_a_typed_code_leads_to_its_activation(world: World) -> None:
    assert Client().get("/accounts/activate/").status_code == 200
    short = Client().get("/accounts/activate/", {"code": "ABCD-1234"})
    assert short.status_code == 400
    typed = Client().get("/accounts/activate/", {"code": "abcd efgh jkmn pqrs"})
    assert (
        typed.status_code == 302 and typed["Location"] == "/accounts/activate/ABCD-EFGH-JKMN-PQRS/"
    )


@no_code_delay
def test_a_supervisor_enrols_the_authenticator_in_the_activation_before_signing_in(
    world: World,
) -> None:
    response = api(world, Role.POLRES).post(
        "/api/v1/accounts/",
        {"username": "kapolsek-a1a", "role": "polsek", "unit": world.units["polsek_a1a"].code},
    )
    code = response.json()["code"]
    html = Client().get(f"/accounts/activate/{code}/").content.decode()
    assert "<svg" in html and 'class="secret"' in html
    device = TOTPDevice.objects.get(user__username="kapolsek-a1a", confirmed=False)
    # Without the authenticator's code, or with a wrong one, nothing is activated.
    assert activate(code).status_code == 400
    assert activate(code, code="000000").status_code == 400
    assert not can_sign_in("kapolsek-a1a", NEW_PASSWORD)
    assert Activation.objects.get(user__username="kapolsek-a1a").used_at is None
    assert activate(code, code=code_for(device)).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    # Signing in now takes the password and then the code.
    client = Client()
    step = client.post("/accounts/login/", {"username": "kapolsek-a1a", "password": NEW_PASSWORD})
    assert step["Location"] == "/accounts/login/code/" and not signed_in(client)
    assert (
        client.post("/accounts/login/code/", {"code": code_for(device, drift=1)}).status_code == 302
    )
    assert signed_in(client)
    event = AuditEvent.objects.get(detail__change="account_activated")
    assert event.detail["two_factor"] is True


@no_code_delay
def test_a_reset_supervisor_enrols_an_authenticator_nobody_saw_before(world: World) -> None:
    polsek = world.users[Role.POLSEK]
    # Someone with the old password is told to ask for a link: no secret, no authenticator.
    thief = Client()
    refused = thief.post("/accounts/login/", {"username": polsek.username, "password": KNOWN[3]})
    assert refused.status_code == 403 and 'class="secret"' not in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=polsek).exists()
    # Nobody opens their own account again, nor one at their level or above.
    for username, acting in [("user-polsek", "user-polsek"), ("user-polres", "user-polsek")]:
        with pytest.raises(CommandError):
            call_command("accounts", "reissue", username, "--as", acting, stdout=io.StringIO())
    out = io.StringIO()
    call_command("accounts", "reissue", polsek.username, "--as", "user-polres", stdout=out)
    [code] = codes_in(out.getvalue())
    assert Client().get(f"/accounts/activate/{code}/").status_code == 200
    device = TOTPDevice.objects.get(user=polsek, confirmed=False, name__startswith="activation")
    assert activate(code, code="000000").status_code == 400
    assert activate(code, code=code_for(device)).status_code == 302
    assert list(TOTPDevice.objects.filter(user=polsek).values_list("pk", flat=True)) == [device.pk]
    issued = AuditEvent.objects.get(detail__change="activation_issued")
    assert issued.user == world.users[Role.POLRES] and issued.detail["account"] == polsek.username


# --- in bulk -------------------------------------------------------------------------------


def test_a_file_creates_every_login_and_prints_the_codes(world: World) -> None:
    officers = [world.officers["polsek_a1b"], world.officers["polres_a1"]]
    text = (
        "nrp,username,role,unit,name\n"
        f"{officers[0].nrp},,,,\n{officers[1].nrp},,,,\n"
        f",kapolsek-a1b,polsek,{world.units['polsek_a1b'].code},Iptu Wahyu\n"
    )
    response = page(world, Role.POLRES).post(
        "/accounts/logins/", {"action": "import", "file": accounts_csv(text)}
    )
    assert response.status_code == 201, response.content.decode()[:2000]
    codes = codes_in(response.content.decode())
    assert len(codes) == 3
    assert (
        User.objects.filter(
            username__in=[o.nrp for o in officers] + ["kapolsek-a1b"], password__startswith="!"
        ).count()
        == 3
    )
    for officer in officers:
        officer.refresh_from_db()
        assert officer.user is not None and officer.user.username == officer.nrp
    assert AuditEvent.objects.filter(detail__change="account_created").count() == 3
    assert activate(codes[0]).status_code == 302


def test_a_file_with_a_wrong_row_creates_nothing_and_names_the_row(world: World) -> None:
    text = (
        "nrp,username,role,unit\n"
        f"{world.officers['polsek_a1b'].nrp},,,\n"
        f"{world.officers['polsek_a2a'].nrp},,,\n"  # another Polres
        f",kapolres-a1,polres,{world.units['polres_a1'].code}\n"  # the creator's own level
        f"{world.officers['polsek_a1b'].nrp},,,\n"  # twice
        ",,,\n"
        ",nobody,,\n"
    )
    before = counts()
    response = api(world, Role.POLRES).post(
        "/api/v1/accounts/import", {"file": accounts_csv(text)}, format="multipart"
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields["row 3"] == ["nrp: Nothing with this code in your scope."]
    assert fields["row 4"] == ["unit: Nothing with this code in your scope."]
    assert fields["row 5"] == ["nrp: Also on row 2."]
    assert set(fields) == {"row 3", "row 4", "row 5", "row 7"}
    assert counts() == before
    page_answer = page(world, Role.POLRES).post(
        "/accounts/logins/", {"action": "import", "file": accounts_csv(text)}
    )
    assert page_answer.status_code == 400 and "row 3, nrp" in page_answer.content.decode()
    assert counts() == before


def test_a_dry_run_checks_the_file_and_creates_nothing(world: World) -> None:
    text = f"nrp\n{world.officers['polsek_a1b'].nrp}\n{world.officers['polres_a1'].nrp}\n"
    before = counts()
    response = page(world, Role.POLRES).post(
        "/accounts/logins/", {"action": "import", "dry_run": "on", "file": accounts_csv(text)}
    )
    assert response.status_code == 200
    assert "2 accounts would be created" in response.content.decode()
    assert codes_in(response.content.decode()) == []
    body = api(world, Role.POLRES).post(
        "/api/v1/accounts/import", {"file": accounts_csv(text), "dry_run": True}, format="multipart"
    )
    assert body.status_code == 200
    assert body.json() == {"created": 2, "dry_run": True, "activations": []}
    assert counts() == before


def test_one_supervisor_account_from_the_page(world: World) -> None:
    client = page(world, Role.POLDA)
    form = client.get("/accounts/logins/")
    assert form.status_code == 200 and 'name="username"' in form.content.decode()
    refused = client.post(
        "/accounts/logins/",
        {
            "action": "create",
            "username": "kapolda-2",
            "role": "polda",
            "unit": world.units["polda_a"].code,
        },
    )
    assert (
        refused.status_code == 400
        and "Nothing with this code in your scope." in refused.content.decode()
    )
    created = client.post(
        "/accounts/logins/",
        {
            "action": "create",
            "username": "kapolres-a2",
            "role": "polres",
            "unit": world.units["polres_a2"].code,
        },
    )
    assert created.status_code == 201 and len(codes_in(created.content.decode())) == 1
    assert unusable(User.objects.get(username="kapolres-a2"))


# --- the command ---------------------------------------------------------------------------


def test_the_command_creates_logins_and_prints_their_links(
    world: World, tmp_path: Path, settings: Any
) -> None:
    settings.SAMBANG_SITE_URL = "https://sambang.example"
    officer = world.officers["polsek_a1b"]
    out = io.StringIO()
    call_command("accounts", "create", "--nrp", officer.nrp, stdout=out)
    [code] = codes_in(out.getvalue())
    assert f"https://sambang.example/accounts/activate/{code}/" in out.getvalue()
    assert unusable(User.objects.get(username=officer.nrp))
    assert AuditEvent.objects.get(detail__change="account_created").detail["via"] == "command line"
    # As a supervisor (--as), within their scope only.
    with pytest.raises(CommandError, match="Nothing with this code in your scope"):
        call_command(
            "accounts", "create", "--nrp", world.officers["polsek_b1a"].nrp, "--as", "user-polres"
        )
    bad = tmp_path / "accounts.csv"
    bad.write_text(f"nrp\n{world.officers['polres_a1'].nrp}\n99999999\n")
    before = counts()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("accounts", "import", str(bad), stdout=io.StringIO(), stderr=io.StringIO())
    good = tmp_path / "good.csv"
    good.write_text(f"nrp\n{world.officers['polres_a1'].nrp}\n")
    call_command("accounts", "import", str(good), "--dry-run", stdout=io.StringIO())
    assert counts() == before
    out = io.StringIO()
    call_command("accounts", "import", str(good), stdout=out)
    assert len(codes_in(out.getvalue())) == 1
    out = io.StringIO()
    call_command("accounts", "reissue", officer.nrp, stdout=out)
    assert len(codes_in(out.getvalue())) == 1
    assert Client().get(f"/accounts/activate/{code}/").status_code == 404  # replaced
    assert Officer.objects.filter(user__isnull=False).count() == 3
