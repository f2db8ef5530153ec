"""The officer's field work: the activity catalogue, plans, reports, household visits."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class ActivityGroup(models.TextChoices):
    MANDATORY = "mandatory", _("Daily mandatory activity")
    PROGRAM = "program", _("Program")
    OTHER = "other", _("Other activity")


class ReportField(models.TextChoices):
    """What an activity type may require of its report, besides the common fields."""

    PARTICIPANTS = "participants", _("participants")
    PARTNERS = "partners", _("partners present")
    OUTCOME = "outcome", _("outcome")
    PHOTO = "photo", _("photo")
    HOUSEHOLD = "household", _("household visit")
    INFORMATION = "information", _("early-detection information")
    PROBLEM = "problem", _("problem solving")


# The detail sections: at most one per report, given by its type.
DETAIL_FIELDS = (ReportField.HOUSEHOLD, ReportField.INFORMATION, ReportField.PROBLEM)


class ActivityType(models.Model):
    """One kind of activity, in the officers' own terms."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (Bahasa Indonesia)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    group = models.CharField(_("group"), max_length=10, choices=ActivityGroup.choices)
    required_fields = models.JSONField(
        _("required fields"),
        default=list,
        blank=True,
        # Lazy, so that the text follows the reader's language (and migrations stay stable).
        help_text=format_lazy(
            _("What a report of this type must hold: {fields}."),
            fields=", ".join(ReportField.values),
        ),
    )
    night_work = models.BooleanField(
        _("done at night too"),
        default=False,
        help_text=_(
            "Work of this type is often done at night (a night-watch patrol, an incident): a "
            "report of it between 22.00 and 05.00 local time is not remarked on."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "id").startswith("en") else self.name

    @property
    def detail(self) -> str | None:
        """The detail section a report of this type carries, if any."""
        return next((f for f in DETAIL_FIELDS if f in self.required_fields), None)

    def clean(self) -> None:
        fields = self.required_fields
        if not isinstance(fields, list) or not all(f in ReportField.values for f in fields):
            raise ValidationError(
                {"required_fields": _("Use a list of: %s.") % ", ".join(ReportField.values)}
            )
        if sum(f in DETAIL_FIELDS for f in fields) > 1:
            raise ValidationError(
                {"required_fields": _("A type has at most one of household, information, problem.")}
            )


class PlanTarget(models.TextChoices):
    HOUSEHOLD = "household", _("Household")
    FIGURE = "figure", _("Key figure")
    PLACE = "place", _("Place")
    GROUP = "group", _("Group or organisation")
    OTHER = "other", _("Other")


class PlanItem(models.Model):
    """One planned activity of an officer, on a local day, in one of their villages."""

    uuid = models.UUIDField(unique=True, editable=False)
    officer = models.ForeignKey(
        "personnel.Officer", on_delete=models.PROTECT, related_name="plan_items"
    )
    # The officer's unit when planned: scopes the plan even after a transfer.
    unit = models.ForeignKey("organization.Unit", on_delete=models.PROTECT, related_name="+")
    activity_type = models.ForeignKey(
        ActivityType, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        "territory.Region", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("from"), null=True, blank=True)
    end_time = models.TimeField(_("until"), null=True, blank=True)
    target_kind = models.CharField(
        _("target"), max_length=10, choices=PlanTarget.choices, default=PlanTarget.OTHER
    )
    target = models.CharField(_("target description"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["date", "start_time", "id"]
        indexes = [
            models.Index(fields=["officer", "date"], name="plan_officer_date"),
            models.Index(fields=["unit", "date"], name="plan_unit_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_time__isnull=True)
                | models.Q(end_time__isnull=True)
                | models.Q(end_time__gt=models.F("start_time")),
                name="plan_time_window_ordered",
                violation_error_message=_("The end time is before the start time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.activity_type} · {self.village}"


class PlanComment(models.Model):
    """A supervisor's (or the officer's) remark on a plan item."""

    plan_item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class IntegrityLevel(models.TextChoices):
    VERIFIED = "verified", _("Verified")
    PLAUSIBLE = "plausible", _("Plausible")
    DOUBTFUL = "doubtful", _("Doubtful")


class Partner(models.TextChoices):
    BABINSA = "babinsa", "Babinsa"
    VILLAGE_HEAD = "village_head", _("Village head")
    FKPM = "fkpm", "FKPM"
    POKDAR = "pokdar", "Pokdar Kamtibmas"
    SATKAMLING = "satkamling", "Satkamling"
    FIGURE = "figure", _("Community figure")
    OTHER = "other", _("Other")


class ActivityReport(models.Model):
    """What an officer did: when, where (with a GPS fix), with whom, and what came of it."""

    uuid = models.UUIDField(unique=True, editable=False)
    officer = models.ForeignKey(
        "personnel.Officer", on_delete=models.PROTECT, related_name="reports"
    )
    # The officer's unit when reported: scopes and counts the report after a transfer.
    unit = models.ForeignKey("organization.Unit", on_delete=models.PROTECT, related_name="+")
    activity_type = models.ForeignKey(
        ActivityType, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        "territory.Region", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    plan_item = models.ForeignKey(
        PlanItem,
        verbose_name=_("plan item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    occurred_at = models.DateTimeField(_("date and time"))
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    accuracy_m = models.FloatField(_("GPS accuracy (m)"), null=True, blank=True)
    cell = models.BigIntegerField(null=True, blank=True, editable=False)  # H3, for maps
    narrative = models.TextField(_("what happened"), max_length=10000)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    partners = models.JSONField(_("partners present"), default=list, blank=True)
    partners_other = models.CharField(_("other partners"), max_length=200, blank=True)
    # The village's own partners (community.Partner) who took part: their activity record.
    partner_records = models.ManyToManyField(
        "community.Partner", verbose_name=_("partners"), blank=True, related_name="reports"
    )
    outcome = models.TextField(_("outcome"), max_length=4000, blank=True)

    state = models.CharField(
        _("state"), max_length=10, choices=ReportState.choices, default=ReportState.SENT
    )
    submitted_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    # A report the officer could no longer send (older than the phone accepts), recorded by
    # a supervisor with a reason.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded late by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    late_reason = models.TextField(_("why it is recorded late"), max_length=2000, blank=True)

    integrity_level = models.CharField(
        _("integrity"), max_length=10, choices=IntegrityLevel.choices, blank=True
    )
    integrity_signals = models.JSONField(default=list, blank=True)
    # Accepted or changed, and not yet processed by the worker (``fieldwork.processing``):
    # its integrity and what the evaluation counts of it are still to be brought up to date.
    pending = models.BooleanField(default=False, editable=False)
    # Hash of the payload that created the report: a re-send with the same UUID must match.
    content_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("activity report")
        verbose_name_plural = _("activity reports")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "occurred_at"], name="report_unit_time"),
            models.Index(fields=["officer", "occurred_at"], name="report_officer_time"),
            models.Index(fields=["village", "occurred_at"], name="report_village_time"),
            # The worker's queue: the few reports waiting, in the order they came.
            models.Index(fields=["id"], condition=models.Q(pending=True), name="report_pending"),
            # Reports to review: how many (up to a bound) and since when, without reading the
            # reviewed ones.
            models.Index(
                fields=["submitted_at"], condition=models.Q(state="sent"), name="report_to_review"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(
                    latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180
                ),
                name="report_position_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity_type} · {self.village} · {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def partner_labels(self) -> list[str]:
        """The partners present, by their names (a code no longer in the list: as stored)."""
        labels = dict(Partner.choices)
        return [str(labels.get(code, code)) for code in self.partners]

    @property
    def editable(self) -> bool:
        """The officer may change a report until a supervisor approves it."""
        return self.state != ReportState.APPROVED


class PhotoKind(models.TextChoices):
    PHOTO = "photo", _("Photo")
    AGREEMENT = "agreement", _("Signed agreement")


class PhotoState(models.TextChoices):
    RECEIVED = "received", _("Received, being processed")
    READY = "ready", _("Ready")
    UNREADABLE = "unreadable", _("Could not be read")


class ReportPhoto(models.Model):
    """A photo of a report, uploaded on its own (and retried) with a client UUID.

    The request stores the file as sent (``upload``, served to nobody: it still holds its
    EXIF data) after checking its header; the worker decodes it once (``fieldwork.processing``)
    into ``image`` and ``thumbnail``, reads its capture time, position and perceptual hash,
    and deletes the file as sent. Until then the photo is ``received``: no picture to show,
    nothing for the integrity signals."""

    uuid = models.UUIDField(unique=True, editable=False)
    report = models.ForeignKey(ActivityReport, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(max_length=10, choices=PhotoKind.choices, default=PhotoKind.PHOTO)
    state = models.CharField(max_length=10, choices=PhotoState.choices, default=PhotoState.READY)
    upload = models.FileField(upload_to="incoming/%Y/%m/", blank=True)
    image = models.ImageField(upload_to="reports/%Y/%m/", blank=True)
    thumbnail = models.ImageField(upload_to="reports/%Y/%m/thumbs/", blank=True)
    sha256 = models.CharField(max_length=64)  # of the file as sent: a retried upload is the same
    content_type = models.CharField(max_length=30)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    # From the photo's EXIF data, when the camera wrote it.
    taken_at = models.DateTimeField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # Perceptual hash (64 bits, signed) and its four 16-bit quarters: two photos within
    # a Hamming distance of 3 share at least one quarter, so an index finds them.
    phash = models.BigIntegerField(null=True)
    phash_q0 = models.IntegerField(null=True, db_index=True)
    phash_q1 = models.IntegerField(null=True, db_index=True)
    phash_q2 = models.IntegerField(null=True, db_index=True)
    phash_q3 = models.IntegerField(null=True, db_index=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        indexes = [
            models.Index(
                fields=["report"], name="photo_received", condition=models.Q(state="received")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.uuid}"


class ReportWord(models.Model):
    """A word of a report's narrative, indexed by the Polda it was filed under: the reports
    sharing a report's rare words are the ones its text is compared with."""

    report = models.ForeignKey(ActivityReport, on_delete=models.CASCADE, related_name="+")
    scope = models.ForeignKey("organization.Unit", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the month of the activity, as counted in WordCount
    word = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["scope", "word"], name="report_word_lookup")]

    def __str__(self) -> str:
        return f"{self.word:x}"


class WordCount(models.Model):
    """How many reports of a Polda's month hold a word (word 0: how many reports in all),
    kept as reports are written; a rolling window of months tells how common a word is."""

    scope = models.ForeignKey("organization.Unit", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    word = models.BigIntegerField()
    reports = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "month", "word"], name="word_count_unique")
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.word:x}: {self.reports}"


class CopiedText(models.Model):
    """A report whose text copies an earlier one: the copy's signal names the original, and
    the original's page lists its copies."""

    report = models.OneToOneField(
        ActivityReport, on_delete=models.CASCADE, related_name="copied_text"
    )
    original = models.ForeignKey(ActivityReport, on_delete=models.CASCADE, related_name="copies")
    similarity = models.PositiveSmallIntegerField()  # per cent

    def __str__(self) -> str:
        return f"{self.report_id} copies {self.original_id} ({self.similarity}%)"


class SignalNote(models.Model):
    """A supervisor's explanation of a report's warning or failed signal (a joint patrol's
    shared text, a phone with a wrong clock): the signal stays shown, but no longer counts
    towards the report's level."""

    report = models.ForeignKey(ActivityReport, on_delete=models.CASCADE, related_name="notes")
    code = models.CharField(max_length=20)
    reason = models.TextField(_("reason"), max_length=2000)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    explained_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "code"], name="signal_note_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.reason[:60]}"


class Aspect(models.TextChoices):
    """The fields of life a concern or a piece of information touches."""

    IDEOLOGY = "ideology", _("Ideology")
    POLITICS = "politics", _("Politics")
    ECONOMY = "economy", _("Economy")
    SOCIOCULTURAL = "sociocultural", _("Socio-cultural")
    SECURITY = "security", _("Security")


class Urgency(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Frequency(models.TextChoices):
    ONCE = "once", _("Once")
    SOMETIMES = "sometimes", _("Sometimes")
    OFTEN = "often", _("Often")


NEIGHBOURHOOD_VALIDATOR = RegexValidator(r"^\d{1,3}$", _("Up to three digits."))


class HouseholdVisit(models.Model):
    """A door-to-door (DDS) visit: the household by address, names only with consent."""

    report = models.OneToOneField(
        ActivityReport, on_delete=models.CASCADE, related_name="household"
    )
    rt = models.CharField("RT", max_length=3, validators=[NEIGHBOURHOOD_VALIDATOR])
    rw = models.CharField("RW", max_length=3, validators=[NEIGHBOURHOOD_VALIDATOR])
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    street = models.CharField(_("street or hamlet"), max_length=120, blank=True)
    consent = models.BooleanField(_("the household agreed to give names"), default=False)
    head_name = models.CharField(_("head of household"), max_length=120, blank=True)
    head_phone = models.CharField(_("phone"), max_length=20, blank=True)
    advice = models.TextField(_("advice given"), max_length=4000, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent=True) | models.Q(head_name="", head_phone=""),
                name="household_names_need_consent",
                violation_error_message=_("Names and phone numbers need the household's consent."),
            ),
        ]

    def __str__(self) -> str:
        return f"RT {self.rt} / RW {self.rw} {self.house_number}".strip()


class HouseholdConcern(models.Model):
    visit = models.ForeignKey(HouseholdVisit, on_delete=models.CASCADE, related_name="concerns")
    aspect = models.CharField(_("field"), max_length=14, choices=Aspect.choices)
    description = models.TextField(_("concern"), max_length=2000)
    urgency = models.CharField(_("urgency"), max_length=6, choices=Urgency.choices)
    frequency = models.CharField(_("frequency"), max_length=9, choices=Frequency.choices)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description[:60]


class VisitConfirmation(models.Model):
    """A resident's answer from the visit sticker's QR code: the visit happened (rated), or
    nobody came. Where it came from is kept hashed, to tell a resident from the officer."""

    visit = models.OneToOneField(
        HouseholdVisit, on_delete=models.CASCADE, related_name="confirmation"
    )
    visited = models.BooleanField(_("the officer visited"), default=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    message = models.TextField(_("message"), max_length=1000, blank=True)
    confirmed_at = models.DateTimeField(auto_now_add=True)
    device = models.CharField(max_length=64, blank=True)
    network = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visited=True, rating__gte=1, rating__lte=5)
                | models.Q(visited=False, rating__isnull=True),
                name="confirmation_rating_1_5_if_visited",
            ),
        ]
        indexes = [models.Index(fields=["device"], name="confirmation_device")]

    def __str__(self) -> str:
        return f"{self.rating}/5" if self.visited else "not visited"


class OfficerDevice(models.Model):
    """A browser or phone, or a network, an officer has worked from (hashed, each with its own
    key): a confirmation from one of them does not count."""

    officer = models.ForeignKey("personnel.Officer", on_delete=models.CASCADE, related_name="+")
    device = models.CharField(max_length=64)
    last_seen = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["officer", "device"], name="officer_device_unique")
        ]
        indexes = [models.Index(fields=["device"], name="officer_device_lookup")]

    def __str__(self) -> str:
        return self.device[:12]


class QuickReport(models.Model):
    """What an officer sent by chat about an activity — text, a shared position, photos —
    gathered into one note that waits in the app until the officer completes it as an
    activity report (which may then be saved as a draft or sent) or discards it.

    It is no report yet: no activity type, no section, counted nowhere. Messages sent within
    ``QUICK_REPORT_GAP`` of each other add to the same note, until the officer closes it."""

    uuid = models.UUIDField(unique=True, editable=False)
    officer = models.ForeignKey(
        "personnel.Officer", on_delete=models.CASCADE, related_name="quick_reports"
    )
    channel = models.CharField(max_length=10)  # the chat it came from
    text = models.TextField(blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # Where the position lies, when it is one of the officer's villages that day.
    village = models.ForeignKey(
        "territory.Region", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField()  # its first message: when the activity was reported
    last_message_at = models.DateTimeField()
    closed = models.BooleanField(default=False)  # the officer said it was complete
    report = models.OneToOneField(
        ActivityReport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quick_report",
    )  # the report it was completed as

    class Meta:
        indexes = [
            models.Index(
                fields=["officer", "started_at"],
                name="quick_report_waiting",
                condition=models.Q(report__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.started_at:%Y-%m-%d %H:%M}"


class QuickReportPhoto(models.Model):
    """A photo of a quick report, kept until the report it becomes takes it (or it is
    discarded)."""

    quick_report = models.ForeignKey(QuickReport, on_delete=models.CASCADE, related_name="photos")
    data = models.BinaryField()
    content_type = models.CharField(max_length=60, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at", "id"]

    def __str__(self) -> str:
        return f"photo {self.pk}"


class PartnerConfirmation(models.Model):
    """A partner's answer to a report that names them as present (a three-pillars patrol, a
    mediation): they took part, or they did not. The officer names; only the partner named
    answers, from their own account; where the answer came from is kept hashed, to tell
    the partner's phone from the officer's."""

    report = models.ForeignKey(
        ActivityReport, on_delete=models.CASCADE, related_name="partner_answers"
    )
    partner = models.ForeignKey("community.Partner", on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    took_part = models.BooleanField(_("took part"))
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    answered_at = models.DateTimeField(auto_now=True)
    device = models.CharField(max_length=64, blank=True)
    network = models.CharField(max_length=64, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "partner"], name="partner_answers_once")
        ]

    def __str__(self) -> str:
        return f"{self.partner_id}: {'yes' if self.took_part else 'no'}"
