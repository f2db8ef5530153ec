"""Pages: the signed-in user's notifications, and the digest's one-click unsubscribe."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from sambang.core.types import AuthenticatedHttpRequest

from . import selectors, services
from .channels.webpush import push_available
from .digest import user_of_unsubscribe_token
from .models import Kind


@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Which kinds of notification the user gets, push on this device, and their devices."""
    user = request.user
    kinds = selectors.kinds_for(user)
    if request.method == "POST":
        choices = {kind.value: kind.value in request.POST for kind in kinds}
        services.preferences_update(user=user, choices=choices, language=request.LANGUAGE_CODE)
        messages.success(request, _("Your choices are saved."))
        return redirect("notifications:preferences")
    preference = selectors.preferences_of(user)
    context = {
        "kinds": [(kind.value, kind.label, getattr(preference, kind.value)) for kind in kinds],
        "push_kinds": [kind for kind in kinds if kind != Kind.DIGEST],
        "gets_digest": Kind.DIGEST in kinds,
        "push_available": push_available(),
        "push_key": settings.SAMBANG_VAPID_PUBLIC_KEY,
        "subscriptions_api": reverse("api:push_subscriptions"),
        "devices": selectors.subscriptions_of(user),
    }
    return render(request, "notifications/preferences.html", context)


@require_POST
def device_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Stop pushing to one of the user's devices (a lost phone, an old browser)."""
    if not services.subscription_remove(user=request.user, pk=pk):
        raise Http404
    messages.success(request, _("That device gets no more notifications."))
    return redirect("notifications:preferences")


@login_not_required
@csrf_exempt  # RFC 8058: the mail client posts "List-Unsubscribe=One-Click", with no form of ours
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The digest's one-click unsubscribe: the signed token names the user; no login."""
    user = user_of_unsubscribe_token(token)
    if user is None:
        raise Http404
    services.digest_unsubscribe(user=user)
    return render(request, "notifications/unsubscribed.html", {"for_user": user})
