"""Signing in (password, then a one-time code where needed), the account's security page,
and the lock-out answer."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from axes.helpers import get_cool_off
from django import forms
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from sambang.core.addresses import client_address
from sambang.core.errors import json_error
from sambang.core.ratelimit import limit_reached
from sambang.core.types import AuthenticatedHttpRequest

from . import lockout, twofactor
from .models import ApiToken
from .tokens import tokens_revoked_at

PENDING = "accounts.pending_login"
# Between the password and the code, at most this long.
PENDING_TTL_S = 300


class CodeForm(forms.Form):
    code = forms.CharField(
        label="", max_length=10, widget=forms.TextInput(attrs={"autocomplete": "one-time-code"})
    )


def _next_url(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("core:home")


class SignInForm(AuthenticationForm):
    """Django's sign-in form, with its refusal in our own words (Django's Indonesian
    repeats the field's name: "nama pengguna nama pengguna")."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy(
            "The username or the password is wrong. Both are case-sensitive."
        ),
    }


@login_not_required
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login(request: HttpRequest) -> HttpResponse:
    """The password step. Users with an authenticator continue to the code step before any
    session is theirs; those whose role requires one and who have none are told to ask for
    an enrolment link (``enrolment``): the password alone neither signs in nor enrols."""
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        device = twofactor.confirmed_device(user)
        if device is None and twofactor.requires_two_factor(user):
            return _enrolment_needed(request, user)
        if device is not None:
            request.session[PENDING] = {
                "user": user.pk,
                "backend": user.backend,
                "at": time.time(),
                "next": next_url,
            }
            return redirect("accounts:login_code")
        auth_login(request, user)
        return redirect(_next_url(request, next_url))
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


def _enrolment_needed(request: HttpRequest, user: Any) -> HttpResponse:
    """No session, no secret: an account whose role requires an authenticator and that has
    none enrols one only through a link from an administrator or the supervisor above."""
    request.session.pop(PENDING, None)
    return render(request, "accounts/enrolment_needed.html", {"for_user": user}, status=403)


@login_not_required
@csrf_protect
@never_cache
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the user's authenticator."""
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_TTL_S:
        request.session.pop(PENDING, None)
        messages.error(request, _("Your sign-in took too long. Enter your password again."))
        return redirect("login")
    user = get_object_or_404(get_user_model(), pk=pending["user"], is_active=True)
    device = twofactor.confirmed_device(user)
    if device is None:  # removed since the password step
        return _enrolment_needed(request, user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        problem = twofactor.check_code(device, form.cleaned_data["code"])
        if problem is None:
            del request.session[PENDING]
            auth_login(request, user, backend=pending["backend"])
            return redirect(_next_url(request, pending["next"]))
        form.add_error("code", problem)
    return render(request, "accounts/login_code.html", {"form": form, "for_user": user})


@never_cache
def security(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in user's own security: two-factor authentication (set up here only where
    the role leaves it optional) and API tokens, with why they were revoked if they were."""
    user = request.user
    device = twofactor.confirmed_device(user)
    required = twofactor.requires_two_factor(user)
    context: dict[str, Any] = {
        "device": device,
        "required": required,
        "tokens": ApiToken.objects.filter(user=user),
        "tokens_revoked_at": tokens_revoked_at(user),
        "form": CodeForm(),
    }
    if device is None and not required:
        context.update(twofactor.setup_context(twofactor.pending_device(user)))
    return render(request, "accounts/security.html", context)


@require_POST
def two_factor_enable(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Turning it on where it is optional; a role that requires it enrols through a link."""
    if twofactor.requires_two_factor(request.user):
        messages.error(request, _ask_for_link())
        return redirect("accounts:security")
    device = twofactor.pending_device(request.user)
    form = CodeForm(request.POST)
    problem = (
        twofactor.check_code(device, form.cleaned_data["code"])
        if form.is_valid()
        else _("Enter the 6-digit code.")
    )
    if problem is None:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        messages.success(request, _("Two-factor authentication is on."))
    else:
        messages.error(request, problem)
    return redirect("accounts:security")


def _ask_for_link() -> str:
    return _(
        "Your role sets up its authenticator only with an enrolment link: ask your "
        "administrator or the supervisor above you for one."
    )


@require_POST
def two_factor_disable(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Turning it off takes a current code, and is refused where the role requires it."""
    device = twofactor.confirmed_device(request.user)
    if device is None:
        return redirect("accounts:security")
    if twofactor.requires_two_factor(request.user):
        messages.error(request, _("Your role requires two-factor authentication."))
        return redirect("accounts:security")
    form = CodeForm(request.POST)
    problem = (
        twofactor.check_code(device, form.cleaned_data["code"])
        if form.is_valid()
        else _("Enter the 6-digit code.")
    )
    if problem is None:
        device.delete()
        messages.success(request, _("Two-factor authentication is off."))
    else:
        messages.error(request, problem)
    return redirect("accounts:security")


@require_POST
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.delete()
    messages.success(
        request, _("The token %(prefix)s… no longer works.") % {"prefix": token.prefix}
    )
    return redirect("accounts:security")


@login_not_required
def admin_login(request: HttpRequest) -> HttpResponse:
    """The admin site signs in through the same door, second factor included."""
    query = request.META.get("QUERY_STRING", "")
    return redirect(reverse("login") + (f"?{query}" if query else ""))


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset by e-mail: the same answer whether or not the address is known, and
    at most a few requests an hour from one address (mail is not a free resource)."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.html"

    def form_valid(self, form: Any) -> HttpResponse:
        address = client_address(self.request) or "unknown"
        if limit_reached("password-reset", address, limit=5, window_s=3600):
            return redirect(self.get_success_url())
        return super().form_valid(form)


def locked_out(
    request: HttpRequest, original_response: HttpResponseBase | None, credentials: Any
) -> HttpResponse:
    """django-axes' answer once an account from an address, or an address, has failed too
    often, or when the account's delay after failures has not passed (``lockout``): 429,
    when to come back, and how to get help, as JSON under /api/ and as the log-in page
    elsewhere."""
    delay = getattr(request, lockout.RETRY_AFTER, None)
    cool_off = dt.timedelta(seconds=delay) if delay else get_cool_off(request)
    if delay:
        message = _(
            "Too many failed sign-ins for this account. Try again in %(seconds)d seconds, "
            "or reset your password by e-mail."
        ) % {"seconds": delay}
    else:
        minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0
        message = _(
            "Too many failed sign-ins for this account or from this address. Try again in "
            "%(minutes)d minutes, or ask your administrator to unlock it."
        ) % {"minutes": minutes}
    if request.path_info.startswith("/api/"):
        response: HttpResponse = json_error("locked_out", message, 429)
    else:
        response = render(
            request,
            "accounts/login.html",
            {
                "form": SignInForm(request),
                "refusal": message,
                "next": request.POST.get(REDIRECT_FIELD_NAME, ""),
            },
            status=429,
        )
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
