"""The providers' webhooks (public: each delivery proves itself by its signature), and the
operators' page of each channel's health."""

from __future__ import annotations

import datetime as dt
import uuid
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from sambang import access
from sambang.core.types import AuthenticatedHttpRequest
from sambang.territory.models import Region, RegionLevel

from . import links, services
from .models import ChatChannel, Conversation, Delivery, Outbound, OutboundResult, address_hash
from .providers import PROVIDERS, Inbound, Refused, provider
from .providers.demo import SAMPLE_PHOTO, Demo
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
        if name == ChatChannel.DEMO:
            continue
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


DEMO_TRANSCRIPT = "chat-demo"
DEMO_SEEN = "chat-demo-seen"  # the last message sent to the visitor that the transcript shows


def _demo_sender(request: HttpRequest) -> str:
    """Each visitor of the demo is a resident of their own (their session)."""
    if request.session.session_key is None:
        request.session.save()
    return f"demo-{request.session.session_key}"


def _demo_catch_up(request: HttpRequest, transcript: list[list[str]]) -> None:
    """Add to the transcript what Sambang sent the visitor since it was last shown: the
    replies, and what came later (the police's answer, an officer's notifications)."""
    sent = Outbound.objects.filter(
        channel=ChatChannel.DEMO,
        to_hash=address_hash(ChatChannel.DEMO, _demo_sender(request)),
        pk__gt=request.session.get(DEMO_SEEN, 0),
    ).order_by("pk")
    for message in sent:
        transcript.append(["out", message.text])
        request.session[DEMO_SEEN] = message.pk
    request.session[DEMO_TRANSCRIPT] = transcript[-60:]


@login_not_required
def demo(request: HttpRequest) -> HttpResponse:
    """The demo only: a simulated chat with Sambang, as a resident would have it on WhatsApp
    (type a message, share a village's location, send a sample photo); an officer who links
    it sends quick reports from it."""
    simulated = Demo()
    if not simulated.configured():
        raise Http404
    transcript: list[list[str]] = request.session.get(DEMO_TRANSCRIPT, [])
    _demo_catch_up(request, transcript)
    if request.method == "POST":
        if request.POST.get("restart"):
            request.session[DEMO_TRANSCRIPT] = []
            Conversation.objects.filter(
                channel=simulated.name,
                sender_hash=address_hash(simulated.name, _demo_sender(request)),
            ).delete()
            return redirect("chat:demo")
        message = _demo_message(request)
        if message is not None:
            transcript.append(["in", _demo_label(message)])
            services.handle(simulated, [message])
            _demo_catch_up(request, transcript)
        return redirect("chat:demo")
    officer = access.officer_of(request.user) if request.user.is_authenticated else None
    villages = Region.objects.filter(
        level=RegionLevel.VILLAGE, jurisdiction__isnull=False, centroid_lat__isnull=False
    ).order_by("name")
    if officer is not None:  # an officer trying their quick reports: their own villages
        villages = villages.filter(assignments__officer=officer, assignments__end_date=None)
    return render(
        request,
        "chat/demo.html",
        {"transcript": transcript, "villages": villages[:200], "officer": officer},
    )


def _demo_message(request: HttpRequest) -> Inbound | None:
    made = partial(Inbound, message_id=uuid.uuid4().hex, sender=_demo_sender(request))
    if request.POST.get("photo"):
        return made(kind="image", media=f"{SAMPLE_PHOTO}-{uuid.uuid4().hex[:12]}")
    if code := request.POST.get("location", ""):
        village = Region.objects.filter(code=code, level=RegionLevel.VILLAGE).first()
        if village is None or village.centroid_lat is None or village.centroid_lng is None:
            return None
        return made(
            kind="location",
            latitude=village.centroid_lat,
            longitude=village.centroid_lng,
            extra={"village": village.name},
        )
    text = request.POST.get("text", "").strip()[:4000]
    return made(kind="text", text=text) if text else None


def _demo_label(message: Inbound) -> str:
    if message.kind == "image":
        return "📷"
    if message.kind == "location":
        return f"📍 {message.extra.get('village', '')}"
    return message.text


def link(request: AuthenticatedHttpRequest) -> HttpResponse:
    """An officer links WhatsApp, Telegram or SMS: a one-time code to send from the chat,
    the chats linked, and unlinking one."""
    officer = access.officer_of(request.user)
    if officer is None:
        raise PermissionDenied
    code = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "code":
            code = links.link_code_issue(officer)
        elif action == "unlink":
            if links.officer_unlink(officer, request.POST.get("channel", "")):
                messages.success(request, _("Unlinked."))
            return redirect("chat:link")
        else:
            return HttpResponse(status=400)
    return render(
        request,
        "chat/link.html",
        {
            "links": officer.chat_links.order_by("channel"),
            "code": code,
            "minutes": int(links.CODE_LIFETIME.total_seconds() // 60),
            "channels": [label for name, label in ChatChannel.choices if provider(name)],
            "demo": Demo().configured(),
        },
    )
