"""The officer's app as an installable web app: its manifest, service worker and offline page.

The service worker caches the app shell (styles, scripts, icons, the offline page) when it
installs, and each page of the officer's work (today, plans, reports, villages) as it is
visited, so that those pages open without a connection. Its version is a hash of what it
caches: a new release installs a new worker, which replaces the caches it owns (records
waiting to be sent live elsewhere and are never touched).
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

# Pages that work offline once visited (their path starts with one of these).
OFFLINE_PAGES = ["/field/", "/villages/", "/lapor/", "/knowledge/"]
SHELL = [
    "sambang/sambang.css",
    "sambang/icon.svg",
    "sambang/icons/icon-192.png",
    "sambang/app.js",
    "sambang/report-form.js",
    "sambang/outbox.js",
    "sambang/outbox-page.js",
    "sambang/map.js",
    "sambang/citizen-form.js",
    "sambang/village-map.js",
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet/leaflet.js",
]


@login_not_required
@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(
        {
            "name": "Sambang — Bhabinkamtibmas",
            "short_name": "Sambang",
            "description": _("Plans, reports and villages of the Bhabinkamtibmas, also offline."),
            "lang": request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else "id",
            "start_url": reverse("core:home"),
            "scope": "/",
            "display": "standalone",
            "background_color": "#f5f7fa",
            "theme_color": "#14284b",
            "icons": [
                {
                    "src": static("sambang/icons/icon-192.png"),
                    "sizes": "192x192",
                    "type": "image/png",
                },
                {
                    "src": static("sambang/icons/icon-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                },
                {
                    "src": static("sambang/icons/icon-512-maskable.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
            ],
        },
        content_type="application/manifest+json",
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


@login_not_required
@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    shell = [static(path) for path in SHELL] + [reverse("core:offline")]
    version = hashlib.sha256(json.dumps([shell, OFFLINE_PAGES]).encode()).hexdigest()[:12]
    response = render(
        request,
        "core/sw.js",
        {
            "version": version,
            "shell": json.dumps(shell),
            "pages": json.dumps(OFFLINE_PAGES),
            "offline": json.dumps(reverse("core:offline")),
            "icon": json.dumps(static("sambang/icons/icon-192.png")),
        },
        content_type="application/javascript",
    )
    # Browsers check for a new worker on every visit; this file must never be stale.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@login_not_required
@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """Shown for a page that was never opened while online."""
    return render(request, "core/offline.html", {"debug": settings.DEBUG})


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``: to the app's icon (pages declare it; browsers ask here anyway)."""
    response = HttpResponse(status=301)
    response["Location"] = static("sambang/icons/icon-192.png")
    response["Cache-Control"] = "public, max-age=86400"
    return response
