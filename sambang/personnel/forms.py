"""Forms for the personnel pages."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sambang.core.errors import ApplicationError
from sambang.fieldwork.photos import check_photo

from .models import Officer, OfficerStatus


class OfficerFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or NRP"), required=False, max_length=120)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *OfficerStatus.choices],
    )
    without_dikbangspes = forms.BooleanField(label=_("Without Dikbangspes"), required=False)
    dual_duties = forms.BooleanField(label=_("With other duties"), required=False)


class AssignmentStartForm(forms.Form):
    officer = forms.CharField(label=_("Officer (NRP)"), max_length=8)
    start_date = forms.DateField(
        label=_("Start date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    area = forms.CharField(
        label=_("Part of the village"),
        max_length=200,
        required=False,
        help_text=_("The RW covered, e.g. RW 01-05; leave empty for the whole village."),
    )
    contact = forms.BooleanField(label=_("Residents' contact"), required=False)


class AssignmentEndForm(forms.Form):
    end_date = forms.DateField(
        label=_("End date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class OfficerAdminForm(forms.ModelForm[Officer]):
    """The admin's officer form: a new photo is checked and stored re-encoded, like every
    photo (no EXIF, nothing appended), under a name of its own."""

    class Meta:
        model = Officer
        fields = ["photo"]  # the admin adds the fields it shows

    def clean_photo(self) -> File[bytes] | None:
        photo = self.cleaned_data.get("photo")
        if not isinstance(photo, UploadedFile):
            return photo  # unchanged, or cleared
        try:
            checked = check_photo(photo, ZoneInfo(settings.TIME_ZONE))
        except ApplicationError as error:
            raise forms.ValidationError(error.message) from error
        return ContentFile(checked.data, name=f"{uuid.uuid4().hex}.jpg")
