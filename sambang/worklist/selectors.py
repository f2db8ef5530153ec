"""What waits for a user: each kind of pending work, counted and linked to where it is done.

The queue is computed from the records themselves, through the access module: an item
leaves the queue when the work is done (a report approved, a residents' report answered, a
directive completed…), never by being "read". Each item says what it counts (``label``),
how many of them are late (``late``, with what late means in ``late_means``), since when
the oldest has waited (``since``), and the page where the work is done (``url``); the
page's own filter shows exactly the items counted.

Who gets what:

- an officer: returned reports to correct, quick reports sent by chat to complete, today's
  plans not yet reported, directives not yet completed, residents' reports given to them
  not yet answered, partners' notes not yet graded, early-warning alerts of their villages
  not yet acknowledged;
- a supervisor (Polsek to national): sent reports to review (oldest first), residents'
  reports of the subtree not yet answered, early-detection information escalated to their
  unit or below and not yet acknowledged, their directives past their due date that
  officers have not completed, early-warning alerts not yet acknowledged (a Polsek: every
  one of its villages; above a Polsek: the strong rises), their unit's last month (Anev) to
  submit, and the months of the units directly below to approve or return;
- an administrator: nothing (master data is not a queue).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Min
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sambang import access
from sambang.alerts.models import AlertStatus, Severity
from sambang.evaluation.models import EvaluationStatus, MonthlyEvaluation
from sambang.evaluation.periods import add_months, local_today
from sambang.evaluation.selectors import evaluations_to_decide
from sambang.fieldwork.models import QuickReport, ReportState
from sambang.organization.models import Unit, UnitLevel
from sambang.organization.selectors import directives_waiting, users_today
from sambang.personnel.models import Officer, User
from sambang.public.selectors import overdue_filter, unanswered_filter
from sambang.security.models import InformationReport

KINDS = (
    "returned",
    "quick",
    "plans",
    "directives",
    "citizen",
    "partner_notes",
    "review",
    "acknowledge",
    "alerts",
    "anev_submit",
    "anev_decide",
)


@dataclass(frozen=True)
class WorkItem:
    kind: str  # a stable name, e.g. "review"
    label: str  # what is counted, for people
    count: int
    url: str  # where the work is done; its filter shows exactly these
    since: dt.datetime | dt.date | None = None  # when the oldest began to wait
    late: int = 0  # how many of ``count`` are past their due time
    late_means: str = ""  # what "late" means for this kind
    at_least: bool = False  # more wait than ``count``: counting stopped there (``COUNTED_UP_TO``)


# Reports to review are counted up to this many: a whole country's unreviewed reports (millions
# in a generated one) would take seconds to count on every home page; "10000+" says enough.
COUNTED_UP_TO = 10_000


def _count_up_to(queryset: Any) -> tuple[int, bool]:
    """How many rows, up to ``COUNTED_UP_TO``, and whether there are more."""
    n = queryset.order_by()[: COUNTED_UP_TO + 1].count()
    return min(n, COUNTED_UP_TO), n > COUNTED_UP_TO


def _oldest(queryset: Any, field: str) -> Any:
    return queryset.aggregate(oldest=Min(field))["oldest"]


def _officer_items(user: User, officer: Officer) -> list[WorkItem]:
    today = users_today(user)
    reports = access.reports_for_user(user)
    returned = reports.filter(state=ReportState.RETURNED)
    plans = access.plans_for_user(user).filter(date=today, reports__isnull=True)
    directives = directives_waiting(user, today)
    citizen = access.citizen_reports_for_user(user).filter(unanswered_filter())
    quick = QuickReport.objects.filter(officer=officer, report__isnull=True)
    notes = access.partner_notes_for_user(user).filter(graded_at__isnull=True)
    return [
        WorkItem(
            "returned",
            _("Returned reports to correct"),
            returned.count(),
            reverse("fieldwork:report_list") + "?state=returned&order=oldest",
            _oldest(returned, "reviewed_at"),
        ),
        WorkItem(
            "quick",
            _("Quick reports sent by chat to complete"),
            quick.count(),
            reverse("fieldwork:today") + "#quick",
            _oldest(quick, "started_at"),
        ),
        WorkItem(
            "plans",
            _("Today's plans not yet reported"),
            plans.count(),
            reverse("fieldwork:today"),
        ),
        WorkItem(
            "directives",
            _("Directives not yet completed"),
            directives.count(),
            reverse("directives:list") + "?waiting=1",
            _oldest(directives, "issued_at"),
            late=directives.filter(due_date__lt=today).count(),
            late_means=_("past their due date"),
        ),
        WorkItem(
            "citizen",
            _("Residents' reports to answer"),
            citizen.count(),
            reverse("citizen:list") + "?unanswered=1",
            _oldest(citizen, "received_at"),
            late=citizen.filter(overdue_filter()).count(),
            late_means=_("past the first-response time"),
        ),
        WorkItem(
            "partner_notes",
            _("Partners' notes to grade"),
            notes.count(),
            reverse("partners:notes") + "?waiting=1",
            _oldest(notes, "written_at"),
        ),
        _alert_item(user, strong_only=False),
    ]


def _alert_item(user: User, strong_only: bool) -> WorkItem:
    alerts = access.alerts_for_user(user).filter(status=AlertStatus.OPEN)
    url = reverse("alerts:list") + "?status=open"
    if strong_only:
        alerts = alerts.filter(severity=Severity.HIGH)
        url += "&severity=high"
    return WorkItem(
        "alerts",
        _("Early-warning alerts to acknowledge"),
        alerts.count(),
        url,
        _oldest(alerts, "created_at"),
    )


def _anev_items(user: User, root: Unit) -> list[WorkItem]:
    month = add_months(local_today(root).replace(day=1), -1)
    items = []
    if access.can_submit_evaluation(user, root):
        own = MonthlyEvaluation.objects.filter(unit=root, month=month).first()
        waiting = own is None or own.status == EvaluationStatus.RETURNED
        items.append(
            WorkItem(
                "anev_submit",
                _("Anev of %(month)s to submit") % {"month": f"{month:%m/%Y}"},
                1 if waiting else 0,
                reverse("evaluation:unit", args=[root.code, f"{month:%Y-%m}"]),
            )
        )
    decide = evaluations_to_decide(user)
    count = decide.count()
    first = decide.first()
    url = (
        reverse("evaluation:unit", args=[first.unit.code, f"{first.month:%Y-%m}"])
        if count == 1 and first is not None
        else reverse("evaluation:unit", args=[root.code, f"{month:%Y-%m}"]) + "#to-decide"
    )
    items.append(
        WorkItem(
            "anev_decide",
            _("Anev months of the units below to approve or return"),
            count,
            url,
            _oldest(decide, "submitted_at"),
        )
    )
    return items


def _supervisor_items(user: User, root: Unit) -> list[WorkItem]:
    today = users_today(user)
    sent = access.reports_for_user(user).filter(state=ReportState.SENT)
    citizen = access.citizen_reports_for_user(user).filter(unanswered_filter())
    information = InformationReport.objects.filter(
        report__in=access.reports_for_user(user),
        escalated_to__path__startswith=root.path,
        acknowledged_at__isnull=True,
    )
    directives = directives_waiting(user, today)
    to_review, more = _count_up_to(sent)
    return [
        WorkItem(
            "review",
            _("Reports to review"),
            to_review,
            reverse("fieldwork:report_list") + "?state=sent&order=oldest",
            _oldest(sent, "submitted_at"),  # waiting since it was sent
            at_least=more,
        ),
        WorkItem(
            "citizen",
            _("Residents' reports not yet answered"),
            citizen.count(),
            reverse("citizen:list") + "?unanswered=1",
            _oldest(citizen, "received_at"),
            late=citizen.filter(overdue_filter()).count(),
            late_means=_("past the first-response time"),
        ),
        WorkItem(
            "acknowledge",
            _("Early-detection information to acknowledge"),
            information.count(),
            reverse("fieldwork:report_list") + "?escalated=waiting",
            _oldest(information, "escalated_at"),
        ),
        WorkItem(
            "directives",
            _("Your directives past their due date, not done by every officer"),
            directives.count(),
            reverse("directives:list") + "?waiting=1",
            _oldest(directives, "due_date"),
        ),
        _alert_item(user, strong_only=root.level != UnitLevel.POLSEK),
        *_anev_items(user, root),
    ]


def work_queue(user: User) -> list[WorkItem]:
    """What waits for ``user``, in the order it is shown; items with nothing waiting are
    included with a count of 0 (the page shows only the others)."""
    if not user.is_active:
        return []
    officer = access.officer_of(user)
    if officer is not None:
        return _officer_items(user, officer)
    root = access.scope_root(user)
    if access.can_review(user) and root is not None:
        return _supervisor_items(user, root)
    return []


def waiting(items: list[WorkItem]) -> list[WorkItem]:
    return [item for item in items if item.count]


def summary(items: list[WorkItem]) -> str:
    """One line: how many things wait, for a notification or a digest's subject."""
    total = sum(item.count for item in items)
    n = f"{total}+" if any(item.at_least for item in items) else str(total)
    return ngettext("%(n)s thing waits for you", "%(n)s things wait for you", total) % {"n": n}
