"""The providers' webhooks (public: each delivery proves itself by its signature), and the
operators' page of each channel's health."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from sambang import access
from sambang.core.types import AuthenticatedHttpRequest

from . import services
from .models import ChatChannel, Delivery, Outbound, OutboundResult
from .providers import PROVIDERS, Refused, provider
from .providers.whatsapp import WhatsApp


@csrf_exempt
@login_not_required
def webhook(request: HttpRequest, channel: str) -> HttpResponse:
    """A provider's delivery: 403 unless signed as the provider signs; 400 when it cannot
    be read; else 200 (a replay too: the provider must not send it again)."""
    found = provider(channel)
    if found is None:
        raise Http404  # a channel without settings is off
    if request.method == "GET" and isinstance(found, WhatsApp):
        echoed = found.challenge(request.GET.dict())
        if echoed is None:
            return HttpResponse(status=403)
        return HttpResponse(echoed, content_type="text/plain")
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    body = request.body
    try:
        found.verify(body, request.headers)
    except Refused:
        return HttpResponse(status=403)
    try:
        received = services.receive(found, body)
    except ValueError as error:
        return JsonResponse({"detail": f"not a delivery of {channel}: {error}"[:300]}, status=400)
    return JsonResponse({"received": received})


def health(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Each channel: on or off, its last delivery, and what failed in the last day."""
    if not access.sees_everything(request.user):
        raise PermissionDenied
    since = timezone.now() - dt.timedelta(days=1)
    rows = []
    for name, label in ChatChannel.choices:
        deliveries = Delivery.objects.filter(channel=name).aggregate(
            last=Max("received_at"), day=Count("pk", filter=Q(received_at__gte=since))
        )
        sent = Outbound.objects.filter(channel=name, created_at__gte=since).aggregate(
            sent=Count("pk", filter=Q(result=OutboundResult.SENT)),
            failed=Count("pk", filter=Q(result=OutboundResult.FAILED)),
        )
        errors = Outbound.objects.filter(channel=name, result=OutboundResult.FAILED).order_by(
            "-created_at"
        )[:5]
        rows.append(
            {
                "name": name,
                "label": label,
                "on": PROVIDERS[name].configured(),
                **deliveries,
                **sent,
                "errors": errors,
            }
        )
    return render(request, "chat/health.html", {"rows": rows})
