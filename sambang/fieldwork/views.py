"""Pages of field work: the officer's day, plans, reports, reviews, stickers."""

from __future__ import annotations

import datetime as dt
import uuid as uuid_lib
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ValidationError as DRFValidationError

from sambang import access
from sambang.community.models import Partner as VillagePartner
from sambang.core.devices import device_of, network_of
from sambang.core.errors import ApplicationError, _flatten, error_body, error_text, validated
from sambang.core.exports import requested_format
from sambang.core.typed import keep_typed
from sambang.core.types import AuthenticatedHttpRequest
from sambang.core.uploads import accepts_photos
from sambang.exports.services import export_table
from sambang.organization.models import Unit
from sambang.personnel.models import Assignment, Officer
from sambang.personnel.selectors import officer_villages
from sambang.security import services as security_services
from sambang.security.models import (
    Credibility,
    HowObtained,
    InformationReport,
    ProblemKind,
    Reliability,
)
from sambang.territory.models import Region

from . import selectors, services, stickers
from .api.plans import PlanCommentCreateSerializer, PlanItemWriteSerializer
from .api.reports import (
    BulkReviewSerializer,
    ExplainSerializer,
    LateReportSerializer,
    ReportWriteSerializer,
    ReviewSerializer,
)
from .models import (
    ActivityType,
    Aspect,
    Frequency,
    HouseholdVisit,
    IntegrityLevel,
    Partner,
    PartnerConfirmation,
    PlanItem,
    PlanTarget,
    QuickReport,
    ReportState,
    Urgency,
)
from .photos import photo_digest
from .quick import quick_report_complete, quick_report_discard, quick_reports_waiting

CONCERN_ROWS = 3


def _officer_or_403(request: AuthenticatedHttpRequest) -> Officer:
    officer = access.officer_of(request.user)
    if officer is None:
        raise PermissionDenied
    return officer


def _local_today(officer: Officer | None) -> dt.date:
    zone = ZoneInfo(officer.unit.timezone) if officer else timezone.get_current_timezone()
    return timezone.now().astimezone(zone).date()


def today(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The officer's day: today's plan and how it stands; supervisors go to their review queue."""
    officer = access.officer_of(request.user)
    if officer is None:
        return redirect(reverse("fieldwork:report_list") + "?state=sent&order=oldest")
    day = _local_today(officer)
    rows = selectors.plan_realization(access.plans_for_user(request.user), day, day)
    recent = selectors.report_list(access.reports_for_user(request.user))[:5]
    return render(
        request,
        "fieldwork/today.html",
        {
            "day": day,
            "quick_reports": quick_reports_waiting(officer),
            "items": rows[0].items if rows else [],
            "recent": recent,
            "villages": officer_villages(officer),
            "labels": selectors.Realization.LABELS,
        },
    )


# --- plans ---------------------------------------------------------------------------


def _period(
    request: AuthenticatedHttpRequest, officer: Officer | None
) -> tuple[str, dt.date, dt.date, dt.date]:
    period = request.GET.get("period", "week")
    try:
        anchor = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        anchor = _local_today(officer)
    if period == "day":
        return period, anchor, anchor, anchor
    if period == "month":
        start = anchor.replace(day=1)
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return period, anchor, start, end
    start = anchor - dt.timedelta(days=anchor.weekday())
    return "week", anchor, start, start + dt.timedelta(days=6)


def plan_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Plans for a day, week or month; an officer adds to theirs, supervisors see their units'."""
    officer = access.officer_of(request.user)
    period, anchor, start, end = _period(request, officer)
    plans = access.plans_for_user(request.user).filter(date__gte=start, date__lte=end)
    if nrp := request.GET.get("officer"):
        plans = plans.filter(officer__nrp=nrp)
    plans = plans.select_related("officer", "activity_type", "village").prefetch_related("comments")
    errors: dict[str, list[str]] = {}
    values: Any = {"date": anchor.isoformat()}
    if request.method == "POST":
        if officer is None:
            raise PermissionDenied
        values = request.POST
        data = PlanItemWriteSerializer(
            data={**request.POST.dict(), "uuid": request.POST.get("uuid") or uuid_lib.uuid4()}
        )
        try:
            data.is_valid(raise_exception=True)
            services.plan_create(officer=officer, data=data.validated_data)
        except DRFValidationError as error:
            errors = _flatten(error.detail)
        except ApplicationError as error:
            errors = error.fields or {"__all__": [error.message]}
        if not errors:
            messages.success(request, _("Plan item added."))
            return redirect(request.get_full_path())
    step = {
        "day": dt.timedelta(days=1),
        "week": dt.timedelta(days=7),
        "month": dt.timedelta(days=31),
    }[period]
    return render(
        request,
        "fieldwork/plan_list.html",
        {
            "period": period,
            "start": start,
            "end": end,
            "previous": (
                start - step if period != "month" else (start - dt.timedelta(days=1)).replace(day=1)
            ).isoformat(),
            "next": (end + dt.timedelta(days=1)).isoformat(),
            "plans": plans.order_by("date", "start_time", "officer__name"),
            "officer": officer,
            "types": ActivityType.objects.filter(active=True),
            "villages": officer_villages(officer) if officer else [],
            "targets": PlanTarget.choices,
            "errors": errors,
            "values": values,
            "new_uuid": uuid_lib.uuid4(),
        },
        status=400 if errors else 200,
    )


def plan_detail(request: AuthenticatedHttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    item = access.access_plan(request.user, uuid)
    can_comment = access.can_review(request.user) or item.officer.user_id == request.user.pk
    errors: dict[str, list[str]] = {}
    values: Any = {
        "activity_type": item.activity_type.code,
        "village": item.village_id,
        "date": item.date.isoformat(),
        "start_time": item.start_time.strftime("%H:%M") if item.start_time else "",
        "end_time": item.end_time.strftime("%H:%M") if item.end_time else "",
        "target_kind": item.target_kind,
        "target": item.target,
        "notes": item.notes,
    }
    if request.method == "POST" and "save" in request.POST:
        officer = _officer_or_403(request)
        values = request.POST
        data = PlanItemWriteSerializer(
            data={k: v for k, v in request.POST.dict().items() if v != ""}, partial=True
        )
        try:
            data.is_valid(raise_exception=True)
            changes = {k: v for k, v in data.validated_data.items() if k != "uuid"}
            for name in ("start_time", "end_time"):
                changes.setdefault(name, None)  # a cleared time is no time
            services.plan_update(item=item, officer=officer, changes=changes)
        except DRFValidationError as error:
            errors = _flatten(error.detail)
        except ApplicationError as error:
            errors = error.fields or {"__all__": [error.message]}
        if not errors:
            messages.success(request, _("Plan item saved."))
            return redirect("fieldwork:plan_detail", uuid=uuid)
    elif request.method == "POST":
        if "delete" in request.POST:
            try:
                services.plan_delete(item=item, officer=_officer_or_403(request))
            except ApplicationError as error:
                messages.error(request, error.message)
                return redirect("fieldwork:plan_detail", uuid=uuid)
            messages.success(request, _("Plan item removed."))
            return redirect("fieldwork:plan_list")
        if not can_comment:
            raise PermissionDenied
        try:
            comment = validated(PlanCommentCreateSerializer, request.POST, ("text",))
            services.plan_comment_add(item=item, author=request.user, text=comment["text"])
        except ApplicationError as error:
            messages.error(request, error_text(error))
            keep_typed(request, "comment", "text")
        return redirect("fieldwork:plan_detail", uuid=uuid)
    return render(
        request,
        "fieldwork/plan_detail.html",
        {
            "item": item,
            "comments": item.comments.select_related("author"),
            "reports": item.reports.all(),
            "can_comment": can_comment,
            "is_owner": item.officer.user_id == request.user.pk,
            "errors": errors,
            "values": values,
            "types": ActivityType.objects.filter(active=True),
            "villages": officer_villages(item.officer),
            "targets": PlanTarget.choices,
        },
        status=400 if errors else 200,
    )


def realization(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Plan vs. realization per officer for a period."""
    officer = access.officer_of(request.user)
    period, anchor, start, end = _period(request, officer)
    if request.GET.get("period") is None:
        period, start, end = "month", anchor.replace(day=1), anchor
    rows = selectors.plan_realization(access.plans_for_user(request.user), start, end)
    return render(
        request,
        "fieldwork/realization.html",
        {
            "rows": rows,
            "start": start,
            "end": end,
            "labels": selectors.Realization.LABELS,
            "period": period,
        },
    )


# --- reports -------------------------------------------------------------------------


def report_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    if fmt := requested_format(request):
        return export_table(request, "reports", fmt)
    reports = selectors.filter_reports(
        access.reports_for_user(request.user), request.GET, reader=request.user
    )
    listed = selectors.report_list(reports, order=request.GET.get("order"))
    page = Paginator(listed, 30).get_page(request.GET.get("page"))
    is_officer = access.officer_of(request.user) is not None
    can_review = access.can_review(request.user)
    return render(
        request,
        "fieldwork/report_list.html",
        {
            "page": page,
            "states": ReportState.choices,
            "levels": IntegrityLevel.choices,
            "types": ActivityType.objects.filter(active=True),
            "units": selectors.report_unit_choices(request.user, request.GET.get("unit", "")),
            "filters": request.GET,
            "is_officer": is_officer,
            "show_officer": not is_officer,
            # Filters the form has no field for (links from the evaluation pages) stay on.
            "kept_filters": [
                (name, value)
                for name in ("officer", "village", "denied")
                for value in request.GET.getlist(name)
            ],
            "can_review": can_review,
            "approvable": {
                r.uuid
                for r in page.object_list
                if can_review
                and r.state == ReportState.SENT
                and r.integrity_level in services.BULK_APPROVABLE
                and not r.pending  # its latest version not checked yet
            },
        },
    )


def _payload_from_post(post: QueryDict, kind: ActivityType | None) -> dict[str, Any]:
    """The report form's fields in the shape of the API's report payload."""
    data: dict[str, Any] = {
        name: post.get(name) or None
        for name in (
            "uuid",
            "activity_type",
            "village",
            "occurred_at",
            "latitude",
            "longitude",
            "accuracy_m",
            "participants",
            "plan_item",
        )
    }
    data.update(
        narrative=post.get("narrative", ""),
        outcome=post.get("outcome", ""),
        partners=post.getlist("partners"),
        partners_other=post.get("partners_other", ""),
        partner_records=[int(p) for p in post.getlist("partner_records") if p.isdigit()],
        state=ReportState.DRAFT if "draft" in post else ReportState.SENT,
    )
    detail = kind.detail if kind else None
    if detail == "household":
        data["household"] = {
            name: post.get(f"household-{name}", "")
            for name in ("rt", "rw", "house_number", "street", "head_name", "head_phone", "advice")
        } | {
            "consent": post.get("household-consent") == "on",
            "concerns": [
                {
                    k: post.get(f"concern-{i}-{k}", "")
                    for k in ("aspect", "description", "urgency", "frequency")
                }
                for i in range(CONCERN_ROWS)
                if post.get(f"concern-{i}-description", "").strip()
            ],
        }
    elif detail == "information":
        data["information"] = {
            name: post.get(f"information-{name}") or None
            for name in (
                "subject",
                "place",
                "happened_at",
                "how_obtained",
                "aspect",
                "urgency",
                "reliability",
                "credibility",
            )
        }
    elif detail == "problem":
        data["problem"] = {
            name: post.get(f"problem-{name}") or ("" if name != "follow_up_date" else None)
            for name in (
                "kind",
                "parties",
                "witnesses",
                "agreement",
                "agency",
                "follow_up_date",
                "follow_up_outcome",
            )
        }
    return data


def _form_context(
    officer: Officer, values: Any, errors: dict[str, list[str]], **extra: Any
) -> dict[str, Any]:
    return {
        "types": ActivityType.objects.filter(active=True).prefetch_related("guidance"),
        "villages": officer_villages(officer),
        "plan_items": PlanItem.objects.filter(officer=officer)
        .filter(
            date__gte=_local_today(officer) - dt.timedelta(days=7), date__lte=_local_today(officer)
        )
        .select_related("activity_type", "village"),
        "partners": Partner.choices,
        "chosen_partners": {
            str(p)
            for p in (
                values.getlist("partner_records")
                if hasattr(values, "getlist")
                else values.get("partner_records", [])
            )
        },
        "village_partners": VillagePartner.objects.filter(
            village__in=officer_villages(officer), active=True
        ).select_related("village"),
        "aspects": Aspect.choices,
        "urgencies": Urgency.choices,
        "frequencies": Frequency.choices,
        "how_obtained": HowObtained.choices,
        "reliabilities": Reliability.choices,
        "credibilities": Credibility.choices,
        "problem_kinds": ProblemKind.choices,
        "concern_rows": [
            {
                "i": i,
                **{
                    k: values.get(f"concern-{i}-{k}", "")
                    for k in ("description", "aspect", "urgency", "frequency")
                },
                "errors": [
                    (k, v) for k, v in errors.items() if k.startswith(f"household.concerns.{i}.")
                ],
            }
            for i in range(CONCERN_ROWS)
        ],
        "errors": errors,
        "values": values,
        **extra,
    }


def _save_report(
    request: AuthenticatedHttpRequest, officer: Officer, report: Any = None
) -> tuple[Any, dict[str, list[str]], int]:
    kind = ActivityType.objects.filter(code=request.POST.get("activity_type", "")).first()
    payload = _payload_from_post(request.POST, kind)
    serializer = ReportWriteSerializer(data=payload, partial=report is not None)
    try:
        serializer.is_valid(raise_exception=True)
        if report is None:
            report, _created = services.report_create(
                officer=officer,
                data=serializer.validated_data,
                device=device_of(request),
                network=network_of(request),
            )
        else:
            changes = {k: v for k, v in serializer.validated_data.items() if k != "uuid"}
            for name in ("household", "information", "problem"):
                changes.setdefault(name, None)
            services.report_update(
                report=report,
                officer=officer,
                changes=changes,
                device=device_of(request),
                network=network_of(request),
            )
        errors: dict[str, list[str]] = {}
        for upload in request.FILES.getlist("photos"):
            # The same photo sent again with the same report (a retried upload) is the same
            # photo: its id comes from the report and the photo's content.
            photo_uuid = uuid_lib.uuid5(report.uuid, photo_digest(upload))
            try:
                services.photo_add(
                    report=report, officer=officer, photo_uuid=photo_uuid, data=upload
                )
            except ApplicationError as error:
                messages.warning(
                    request,
                    _("Photo %(name)s was not added: %(reason)s")
                    % {"name": upload.name, "reason": error.message},
                )
    except DRFValidationError as error:
        return report, _flatten(error.detail), 400
    except ApplicationError as error:
        return report, error.fields or {"__all__": [error.message]}, error.status_code
    return report, errors, 200


def _sync_answer(report: Any, errors: dict[str, list[str]], status: int) -> JsonResponse:
    """What the outbox reads: where the report now lives, or what to correct."""
    if errors:
        message = _("The server did not accept the report.")
        return JsonResponse(error_body("invalid", message, errors), status=status)
    url = reverse("fieldwork:report_detail", args=[report.uuid])
    return JsonResponse({"uuid": str(report.uuid), "url": url}, status=201)


@accepts_photos("photos", services.MAX_PHOTOS)
def report_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The quick report form: current GPS, camera, and the section the activity needs."""
    officer = _officer_or_403(request)
    errors: dict[str, list[str]] = {}
    values: Any = {
        "plan_item": request.GET.get("plan", ""),
        "activity_type": request.GET.get("type", ""),
        "village": request.GET.get("village", ""),
    }
    # A quick report sent by chat, completed here: the form starts from what it holds.
    quick = _quick_of(officer, request.POST.get("quick_report") or request.GET.get("quick"))
    if quick is not None and quick.report is not None and request.method != "POST":
        messages.info(request, _("This quick report is already a report."))
        return redirect("fieldwork:report_detail", uuid=quick.report.uuid)
    if quick is not None:
        values |= _values_of_quick(quick)
    if request.method == "POST":
        values = request.POST
        report, errors, status = _save_report(request, officer)
        if quick is not None and not errors:
            for problem in quick_report_complete(quick=quick, report=report, officer=officer):
                messages.warning(request, problem)
        if sync := request.headers.get("X-Sambang-Sync"):  # the phone's outbox sending
            if sync == "form" and not errors:
                messages.success(request, _("Report saved."))
            return _sync_answer(report, errors, status)
        if not errors:
            messages.success(request, _("Report saved."))
            return redirect("fieldwork:report_detail", uuid=report.uuid)
    now = timezone.now().astimezone(ZoneInfo(officer.unit.timezone))
    context = _form_context(
        officer,
        values,
        errors,
        uuid=values.get("uuid") or uuid_lib.uuid4(),
        now=now.strftime("%Y-%m-%dT%H:%M"),
        quick=quick,
        quick_photos=quick.photos.only("pk") if quick is not None else [],
    )
    return render(request, "fieldwork/report_form.html", context, status=400 if errors else 200)


def _quick_of(officer: Officer, value: str | None) -> QuickReport | None:
    """The officer's own quick report named by ``value``; 404 for anyone else's."""
    if not value:
        return None
    try:
        key = uuid_lib.UUID(value)
    except ValueError:
        raise Http404 from None
    found = QuickReport.objects.filter(uuid=key, officer=officer).select_related("report").first()
    if found is None:
        raise Http404
    return found


def _values_of_quick(quick: QuickReport) -> dict[str, Any]:
    zone = ZoneInfo(quick.officer.unit.timezone)
    return {
        "narrative": quick.text,
        "village": quick.village_id or "",
        "occurred_at": quick.started_at.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
        "latitude": "" if quick.latitude is None else quick.latitude,
        "longitude": "" if quick.longitude is None else quick.longitude,
    }


def quick_photo(request: AuthenticatedHttpRequest, uuid: uuid_lib.UUID, pk: int) -> HttpResponse:
    """A photo of the officer's own quick report, seen in the form that completes it."""
    quick = _quick_of(_officer_or_403(request), str(uuid))
    assert quick is not None
    photo = quick.photos.filter(pk=pk).first()
    if photo is None:
        raise Http404
    response = HttpResponse(bytes(photo.data), content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
def quick_discard(request: AuthenticatedHttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    officer = _officer_or_403(request)
    quick = _quick_of(officer, str(uuid))
    assert quick is not None
    try:
        quick_report_discard(quick=quick, officer=officer)
        messages.success(request, _("The quick report was discarded."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("fieldwork:today")


def late_report_new(request: AuthenticatedHttpRequest, nrp: str) -> HttpResponse:
    """A supervisor records an officer's report the phone can no longer send, with a reason."""
    officer = access.access_officer(request.user, nrp)
    if not access.can_review(request.user):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    values: Any = {}
    if request.method == "POST":
        values = request.POST
        kind = ActivityType.objects.filter(code=request.POST.get("activity_type", "")).first()
        payload = _payload_from_post(request.POST, kind) | {"reason": request.POST.get("reason")}
        serializer = LateReportSerializer(data=payload)
        try:
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
            reason = data.pop("reason")
            report, _created = services.report_record_late(
                supervisor=request.user, officer=officer, data=data, reason=reason
            )
        except DRFValidationError as error:
            errors = _flatten(error.detail)
        except ApplicationError as error:
            errors = error.fields or {"__all__": [error.message]}
        else:
            messages.success(request, _("The late report is recorded."))
            return redirect("fieldwork:report_detail", uuid=report.uuid)
    context = _form_context(
        officer,
        values,
        errors,
        uuid=values.get("uuid") or uuid_lib.uuid4(),
        now="",
        late_for=officer,
        max_age_days=services.REPORT_MAX_AGE.days,
        plan_items=[],
    )
    context["villages"] = Region.objects.filter(
        pk__in=Assignment.objects.filter(officer=officer).values("village_id")
    ).order_by("name")
    return render(request, "fieldwork/report_form.html", context, status=400 if errors else 200)


@accepts_photos("photos", services.MAX_PHOTOS)
def report_edit(request: AuthenticatedHttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    report = access.access_report(request.user, uuid)
    officer = _officer_or_403(request)
    if report.officer_id != officer.pk or not report.editable:
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        report, errors, _status = _save_report(request, officer, report)
        if not errors:
            messages.success(request, _("Report saved."))
            return redirect("fieldwork:report_detail", uuid=report.uuid)
        values: Any = request.POST
    else:
        values = _values_of(report)
    zone = ZoneInfo(officer.unit.timezone)
    context = _form_context(
        officer,
        values,
        errors,
        uuid=report.uuid,
        report=report,
        now=report.occurred_at.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
    )
    return render(request, "fieldwork/report_form.html", context, status=400 if errors else 200)


def _values_of(report: Any) -> dict[str, Any]:
    """A report as the form's field values."""
    payload = services.report_payload(report)
    zone = ZoneInfo(report.unit.timezone)
    values: dict[str, Any] = {
        k: ("" if v is None else v) for k, v in payload.items() if not isinstance(v, dict)
    }
    values["occurred_at"] = report.occurred_at.astimezone(zone).strftime("%Y-%m-%dT%H:%M")
    for section in ("household", "information", "problem"):
        for key, value in (payload.get(section) or {}).items():
            if key == "concerns":
                for i, concern in enumerate(value[:CONCERN_ROWS]):
                    values.update({f"concern-{i}-{k}": v for k, v in concern.items()})
            elif key == "consent":
                values["household-consent"] = "on" if value else ""
            elif isinstance(value, dt.datetime):
                values[f"{section}-{key}"] = value.astimezone(zone).strftime("%Y-%m-%dT%H:%M")
            else:
                values[f"{section}-{key}"] = "" if value is None else value
    return values


def report_detail(request: AuthenticatedHttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    report = selectors.report_detail(access.access_report(request.user, uuid))
    officer = access.officer_of(request.user)
    is_owner = officer is not None and report.officer_id == officer.pk
    visit = HouseholdVisit.objects.filter(report=report).first()
    information = (
        InformationReport.objects.filter(report=report)
        .select_related("escalated_to", "acknowledged_by")
        .first()
    )
    answers = {a.partner_id: a for a in PartnerConfirmation.objects.filter(report=report)}
    return render(
        request,
        "fieldwork/report_detail.html",
        {
            "report": report,
            # The village partners the officer named, and what each answered.
            "named_partners": [(p, answers.get(p.pk)) for p in report.partner_records.all()],
            "integrity": selectors.integrity_view(report, request.user),
            "visit": visit,
            "concerns": visit.concerns.all() if visit else [],
            "confirmation": getattr(visit, "confirmation", None) if visit else None,
            "information": information,
            "problem": getattr(report, "problem", None),
            "is_owner": is_owner,
            "can_review": access.can_review(request.user)
            and report.state == ReportState.SENT
            and not is_owner,
            "can_explain": access.can_review(request.user) and not is_owner,
            "escalation_units": _units_above(officer) if is_owner and information else [],
            "can_acknowledge": information is not None
            and information.escalated_to is not None
            and information.acknowledged_at is None
            and request.user.unit is not None
            and information.escalated_to.path.startswith(request.user.unit.path)
            and access.can_review(request.user),
        },
    )


def _units_above(officer: Officer | None) -> list[Unit]:
    if officer is None:
        return []
    units: list[Unit] = []
    unit: Unit | None = officer.unit
    while unit is not None:
        units.append(unit)
        unit = unit.parent
    return units


@require_POST
def report_review(request: AuthenticatedHttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    report = access.access_report(request.user, uuid)
    if not access.can_review(request.user):
        raise PermissionDenied
    try:
        data = validated(ReviewSerializer, request.POST, ("decision", "comment"))
        services.report_review(
            report=report, reviewer=request.user, decision=data["decision"], comment=data["comment"]
        )
    except ApplicationError as error:
        messages.error(request, error_text(error))
        keep_typed(request, "review", "comment")
    else:
        messages.success(
            request,
            _("Report approved.")
            if report.state == ReportState.APPROVED
            else _("Report returned to the officer."),
        )
    return redirect("fieldwork:report_detail", uuid=uuid)


@require_POST
def report_review_bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Approve the reports ticked on the list; back to the list as it was filtered."""
    if not access.can_review(request.user):
        raise PermissionDenied
    try:
        data = validated(
            BulkReviewSerializer, {"reports": request.POST.getlist("reports")}, ("reports",)
        )
        reports = selectors.reports_by_uuid(access.reports_for_user(request.user), data["reports"])
        outcomes = services.reports_approve(reports=reports, reviewer=request.user)
    except ApplicationError as error:
        messages.error(request, error_text(error))
    else:
        approved = sum(o.approved for o in outcomes)
        if approved:
            messages.success(
                request,
                ngettext("%(n)s report approved.", "%(n)s reports approved.", approved)
                % {"n": approved},
            )
        for outcome in outcomes:
            if not outcome.approved:
                messages.warning(request, _bulk_skipped(outcome))
    back = reverse("fieldwork:report_list")
    return redirect(f"{back}?{request.GET.urlencode()}" if request.GET else back)


def _bulk_skipped(outcome: services.BulkOutcome) -> str:
    report = outcome.report
    return _("Not approved: %(when)s, %(activity)s, %(officer)s (%(nrp)s). %(reason)s") % {
        "when": date_format(timezone.localtime(report.occurred_at), "d M Y H:i"),
        "activity": report.activity_type.label,
        "officer": report.officer.name,
        "nrp": report.officer.nrp,
        "reason": outcome.reason,
    }


@require_POST
def signal_explain(
    request: AuthenticatedHttpRequest, uuid: uuid_lib.UUID, code: str
) -> HttpResponse:
    report = access.access_report(request.user, uuid)
    if not access.can_review(request.user):
        raise PermissionDenied
    try:
        data = validated(ExplainSerializer, request.POST, ("reason",))
        services.signal_explain(
            report=report, code=code, reason=data["reason"], supervisor=request.user
        )
    except ApplicationError as error:
        messages.error(request, error_text(error))
        keep_typed(request, f"explain-{code}", "reason")
    else:
        messages.success(request, _("The signal is marked as explained."))
    return redirect("fieldwork:report_detail", uuid=uuid)


@accepts_photos("photos", services.MAX_PHOTOS)
@require_POST
def report_photos(request: AuthenticatedHttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    report = access.access_report(request.user, uuid)
    officer = _officer_or_403(request)
    for upload in request.FILES.getlist("photos"):
        try:
            services.photo_add(
                report=report,
                officer=officer,
                photo_uuid=uuid_lib.uuid4(),
                data=upload,
                kind=request.POST.get("kind", "photo"),
            )
        except ApplicationError as error:
            messages.error(
                request,
                _("Photo %(name)s was not added: %(reason)s")
                % {"name": upload.name, "reason": error.message},
            )
    return redirect("fieldwork:report_detail", uuid=uuid)


@require_POST
def report_escalate(request: AuthenticatedHttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    report = access.access_report(request.user, uuid)
    officer = _officer_or_403(request)
    information = InformationReport.objects.filter(report=report).first()
    if information is None:
        raise Http404
    try:
        escalated = security_services.information_escalate(
            information=information, officer=officer, unit_code=request.POST.get("unit", "")
        )
        unit = escalated.escalated_to
        messages.success(request, _("Escalated to %(unit)s.") % {"unit": unit.name if unit else ""})
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("fieldwork:report_detail", uuid=uuid)


@require_POST
def report_acknowledge(request: AuthenticatedHttpRequest, uuid: uuid_lib.UUID) -> HttpResponse:
    report = access.access_report(request.user, uuid)
    information = (
        InformationReport.objects.filter(report=report).select_related("escalated_to").first()
    )
    if information is None:
        raise Http404
    try:
        security_services.information_acknowledge(information=information, user=request.user)
        messages.success(request, _("Acknowledged."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("fieldwork:report_detail", uuid=uuid)


def sticker(request: AuthenticatedHttpRequest, uuid: uuid_lib.UUID, fmt: str) -> HttpResponse:
    """The printable visit sticker (PDF or PNG) of a household visit."""
    report = access.access_report(request.user, uuid)
    visit = (
        HouseholdVisit.objects.filter(report=report)
        .select_related("report__officer", "report__village")
        .first()
    )
    if visit is None or fmt not in ("pdf", "png"):
        raise Http404
    url = request.build_absolute_uri(
        reverse("public:visit_confirm", args=[selectors.visit_token(visit)])
    )
    day = report.occurred_at.astimezone(ZoneInfo(report.unit.timezone)).strftime("%d-%m-%Y")
    if fmt == "png":
        response = HttpResponse(stickers.sticker_png(visit, url, day), content_type="image/png")
    else:
        response = HttpResponse(
            stickers.sticker_pdf(visit, url, day), content_type="application/pdf"
        )
    # Downloaded, to print or send on: a browser's own viewer is not a page of ours.
    response["Content-Disposition"] = f'attachment; filename="sambang-visit-{report.uuid}.{fmt}"'
    return response
