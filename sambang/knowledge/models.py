"""The rules and guides behind the work (the library), and short training modules with
multiple-choice questions, taken by officers on their phone."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    LAW = "law", _("Law")
    REGULATION = "regulation", _("Police regulation")
    DECREE = "decree", _("Chief of Police decree")
    GUIDE = "guide", _("Guide")


class Document(models.Model):
    """One rule or guide, summarised in the project's own words (``body``, Markdown): what
    it says for the work, never a copy of a text whose licence does not allow it. Each says
    where it comes from (``source``), which version, and when it was issued."""

    slug = models.SlugField(unique=True, max_length=80)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=DocumentKind.choices)
    source = models.CharField(_("source"), max_length=300)
    version = models.CharField(_("version"), max_length=40)
    issued_year = models.PositiveSmallIntegerField(_("year issued"))
    issued_on = models.DateField(_("date issued"), null=True, blank=True)  # when known
    summary = models.TextField(_("summary"), max_length=1000)
    body = models.TextField(_("text"))
    activity_types = models.ManyToManyField(
        "fieldwork.ActivityType",
        verbose_name=_("guidance for the activity types"),
        blank=True,
        related_name="guidance",
    )
    order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("library document")
        verbose_name_plural = _("library documents")

    def __str__(self) -> str:
        return self.title


class DocumentWord(models.Model):
    """The search index: each stem of a document's words (Indonesian stemming, so that
    "pembinaan", "membina" and "dibina" are one word) with its weight in the document."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="words")
    stem = models.CharField(max_length=60)
    weight = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stem", "document"], name="document_stem_once")
        ]

    def __str__(self) -> str:
        return self.stem


class TrainingModule(models.Model):
    """A short module on one guide, with questions; passed at ``pass_mark`` per cent."""

    slug = models.SlugField(unique=True, max_length=80)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("what it teaches"), max_length=2000)
    document = models.ForeignKey(
        Document, verbose_name=_("guide"), on_delete=models.PROTECT, related_name="modules"
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    module = models.ForeignKey(TrainingModule, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("question"), max_length=1000)
    choices = models.JSONField(_("choices"))  # the answers offered, in order
    correct = models.PositiveSmallIntegerField(_("correct choice"))  # its index in ``choices``
    explanation = models.TextField(_("explanation"), max_length=1000, blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Attempt(models.Model):
    """An officer's try at a module: the answers given, how many were right, passed or
    not. Every try is kept; the officer has completed the module once one passed."""

    officer = models.ForeignKey(
        "personnel.Officer", on_delete=models.CASCADE, related_name="module_attempts"
    )
    module = models.ForeignKey(TrainingModule, on_delete=models.PROTECT, related_name="attempts")
    answers = models.JSONField(default=dict)  # question id → choice index
    correct = models.PositiveSmallIntegerField()
    total = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    taken_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_at"]
        indexes = [
            models.Index(
                fields=["officer", "module"], name="attempt_passed", condition=models.Q(passed=True)
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} {self.module_id} {self.correct}/{self.total}"
