"""Pages for logins: the public activation (password, and the authenticator where the role
requires one) or enrolment (the authenticator, for the holder of the password), and the
supervisors' pages that create accounts, list the supervisors' accounts below them and
print new codes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from sambang import access
from sambang.community.models import Partner
from sambang.core.addresses import client_address
from sambang.core.errors import ApplicationError, error_text
from sambang.core.ratelimit import limit_reached
from sambang.core.tabular import upload_path
from sambang.core.types import AuthenticatedHttpRequest
from sambang.personnel.models import Role

from . import enrolment, provisioning, selectors, twofactor
from .models import CODE_LENGTH, Activation, ActivationPurpose, format_code, normalize_code
from .provisioning import IssuedActivation

# Requests to the activation pages from one address in an hour: an office activating its
# officers together stays far below; guessing a code (80 bits) is hopeless anyway.
ACTIVATION_REQUESTS_PER_HOUR = 200


class CodeEntryForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Activation code"), max_length=40)

    def clean_code(self) -> str:
        code = normalize_code(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH:
            raise forms.ValidationError(
                _("An activation code has %(n)s letters and digits, as printed.")
                % {"n": CODE_LENGTH}
            )
        return format_code(code)


class ActivationForm(forms.Form):
    password1 = forms.CharField(
        label=gettext_lazy("New password"),
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=gettext_lazy("New password again"),
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    code = forms.CharField(
        label=gettext_lazy("Code from the authenticator"),
        max_length=10,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, two_factor: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if two_factor:
            self.fields["code"].required = True
        else:
            del self.fields["code"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        return data


class EnrolmentForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=gettext_lazy("Code from the authenticator"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _too_many(request: HttpRequest) -> bool:
    address = client_address(request) or "unknown"
    return limit_reached("activation", address, limit=ACTIVATION_REQUESTS_PER_HOUR, window_s=3600)


def _refused(request: HttpRequest, status: int) -> HttpResponse:
    return render(
        request, "accounts/activation_invalid.html", {"too_many": status == 429}, status=status
    )


@login_not_required
@never_cache
def activate_start(request: HttpRequest) -> HttpResponse:
    """Where a printed code is typed in: on to the activation it opens."""
    form = CodeEntryForm(request.GET or None)
    if form.is_valid():
        return redirect("accounts:activate", code=form.cleaned_data["code"])
    return render(
        request, "accounts/activate_start.html", {"form": form}, status=400 if form.errors else 200
    )


@login_not_required
@sensitive_post_parameters("password1", "password2", "password", "code")
@csrf_protect
@never_cache
def activate(request: HttpRequest, code: str) -> HttpResponse:
    """A one-time activation: whose account it opens; the password, and the authenticator
    where the role requires one (an enrolment: the authenticator, with the password the
    account has). Unknown, used, replaced and expired codes get one answer."""
    if _too_many(request):
        return _refused(request, 429)
    activation = selectors.open_activation(code)
    if activation is None:
        return _refused(request, 404)
    if activation.purpose == ActivationPurpose.ENROL:
        return _enrol(request, activation)
    account = activation.user
    two_factor = twofactor.requires_two_factor(account)
    form = ActivationForm(request.POST or None, two_factor=two_factor)
    if request.method == "POST" and form.is_valid():
        try:
            provisioning.activation_complete(
                activation=activation,
                password=form.cleaned_data["password1"],
                code=form.cleaned_data.get("code", ""),
                request=request,
            )
        except ApplicationError as error:
            if error.status_code == 410:
                return _refused(request, 404)
            for name, problems in error.fields.items():
                target = {"password": "password1"}.get(name, name)
                for problem in problems:
                    form.add_error(target if target in form.fields else None, problem)
        else:
            messages.success(
                request,
                _("Your account %(username)s is ready. Sign in with your new password.")
                % {"username": account.username},
            )
            return redirect("login")
    context: dict[str, Any] = {
        "form": form,
        "account": account,
        "two_factor": two_factor,
        "expires_at": activation.expires_at,
    }
    if two_factor:
        context.update(twofactor.setup_context(provisioning.enrolment_device(activation)))
    return render(request, "accounts/activate.html", context, status=400 if form.errors else 200)


def _enrol(request: HttpRequest, activation: Activation) -> HttpResponse:
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment.enrolment_complete(
                activation=activation,
                password=form.cleaned_data["password"],
                code=form.cleaned_data["code"],
                request=request,
            )
        except ApplicationError as error:
            if error.status_code == 410:
                return _refused(request, 404)
            for name, problems in error.fields.items():
                for problem in problems:
                    form.add_error(name if name in form.fields else None, problem)
        else:
            messages.success(
                request,
                _(
                    "The authenticator of %(username)s is set up. Sign in with your password "
                    "and its code."
                )
                % {"username": activation.user.username},
            )
            return redirect("login")
    context: dict[str, Any] = {
        "form": form,
        "account": activation.user,
        "expires_at": activation.expires_at,
        **twofactor.setup_context(provisioning.enrolment_device(activation)),
    }
    return render(request, "accounts/enrol.html", context, status=400 if form.errors else 200)


# --- supervisors' pages --------------------------------------------------------------------


class SupervisorAccountForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=150, required=False)
    role = forms.ChoiceField(
        label=gettext_lazy("Role"), choices=[c for c in Role.choices if c[0] != Role.OFFICER]
    )
    unit = forms.CharField(
        label=gettext_lazy("Unit code"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("Empty for an administrator."),
    )


def _require_provisioner(request: AuthenticatedHttpRequest) -> None:
    if not access.can_provision_accounts(request.user):
        raise PermissionDenied


def _printed(
    request: AuthenticatedHttpRequest, issued: list[IssuedActivation], status: int = 201
) -> HttpResponse:
    """The new codes and links, once, on a page made for printing."""
    rows = [{"issued": item, "url": request.build_absolute_uri(item.path)} for item in issued]
    return render(
        request,
        "accounts/activations_print.html",
        {"rows": rows, "start_url": request.build_absolute_uri("/accounts/activate/")},
        status=status,
    )


def printed_enrolments(request: HttpRequest, issued: list[IssuedActivation]) -> HttpResponse:
    """New two-factor enrolment links (an administrator's reset, or an account without an
    authenticator), once, on a page made for printing."""
    rows = [{"issued": item, "url": request.build_absolute_uri(item.path)} for item in issued]
    return render(
        request,
        "accounts/enrolments_print.html",
        {"rows": rows, "start_url": request.build_absolute_uri("/accounts/activate/")},
    )


@never_cache
def provision(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Create logins: a file of officers and supervisors (with a dry run), or one
    supervisor's account; the new codes are shown once, ready to print."""
    _require_provisioner(request)
    form = SupervisorAccountForm()
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.method == "POST" and request.POST.get("action") == "import":
        upload = request.FILES.get("file")
        if upload is None:
            context["problem"] = _("Choose a CSV or XLSX file.")
            status = 400
        else:
            try:
                with upload_path(upload) as path:
                    result = provisioning.accounts_import(
                        path=path, user=request.user, dry_run="dry_run" in request.POST
                    )
            except ApplicationError as error:
                context["problem"], status = error_text(error), 400
            else:
                if not result.ok:
                    context["row_errors"], status = result.errors.errors, 400
                elif result.dry_run:
                    context["trial"] = result.created
                else:
                    return _printed(request, result.activations)
    elif request.method == "POST":
        form = SupervisorAccountForm(request.POST)
        context["form"] = form
        if form.is_valid():
            values = form.cleaned_data
            try:
                issued = provisioning.account_create(
                    by=request.user,
                    username=values["username"],
                    role=values["role"],
                    unit=provisioning.unit_named(values["unit"]),
                    name=values["name"],
                    request=request,
                )
            except ApplicationError as error:
                for name, problems in error.fields.items():
                    for problem in problems:
                        form.add_error(name if name in form.fields else None, problem)
            else:
                return _printed(request, [issued])
        status = 400
    return render(request, "accounts/provision.html", context, status=status)


@require_POST
@never_cache
def officer_login(request: AuthenticatedHttpRequest, nrp: str) -> HttpResponse:
    """An officer's login: the account when there is none, else a new activation that
    replaces the unused one (a lost link, or a reset)."""
    _require_provisioner(request)
    officer = access.access_officer(request.user, nrp)
    try:
        if officer.user is None:
            issued = provisioning.account_create(by=request.user, officer=officer, request=request)
        else:
            issued = provisioning.activation_issue(
                user=officer.user, by=request.user, request=request
            )
    except ApplicationError as error:
        messages.error(request, error_text(error))
        return redirect("personnel:officer_detail", nrp=officer.nrp)
    return _printed(request, [issued])


@require_POST
@never_cache
def partner_login(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A partner's login, from the village profile's partner record: a new account (or the
    record joins an existing partner's account, ``username``), or a new activation."""
    _require_provisioner(request)
    partner = get_object_or_404(
        Partner.objects.filter(village__in=access.villages_for_user(request.user)), pk=pk
    )
    try:
        issued = provisioning.partner_login(
            by=request.user,
            partner=partner,
            existing=request.POST.get("username", ""),
            request=request,
        )
    except ApplicationError as error:
        messages.error(request, error_text(error))
        return redirect("community:village_profile", code=partner.village_id)
    if issued is None:
        messages.success(request, _("The partner's account now holds this village too."))
        return redirect("community:village_profile", code=partner.village_id)
    return _printed(request, [issued])


@never_cache
def supervisor_accounts(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The supervisors' accounts below the reader (every account but officers' for an
    administrator): whether each has an authenticator, and a button for a new two-factor
    enrolment link (or a new activation, for an account not yet activated)."""
    _require_provisioner(request)
    search = request.GET.get("q", "").strip()[:100]
    without = request.GET.get("without") == "1"
    accounts = selectors.supervisor_accounts(
        request.user, search=search, without_authenticator=without
    )
    page = Paginator(accounts, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/supervisor_accounts.html",
        {
            "page": page,
            "search": search,
            "without": without,
        },
    )


@require_POST
@never_cache
def enrolment_link(request: AuthenticatedHttpRequest, username: str) -> HttpResponse:
    """A new two-factor enrolment link for an account of ``supervisor_accounts`` (for one
    without a usable password, a new activation), printed once; earlier unused links of the
    account stop working. An account outside the reader's authority is a 404."""
    _require_provisioner(request)
    account = access.supervisor_accounts_for_user(request.user).filter(username=username).first()
    if account is None:
        raise Http404
    try:
        issued = enrolment.enrolment_issue(user=account, by=request.user, request=request)
    except ApplicationError as error:
        messages.error(request, error_text(error))
        return redirect("accounts:supervisor_accounts")
    return printed_enrolments(request, [issued])
