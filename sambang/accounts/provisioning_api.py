"""JSON API for creating logins (one account, or a file of them) and for a supervisor's
new two-factor enrolment link; each answer carries the new codes and links, shown this
once."""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sambang import access
from sambang.core.api import ImportUploadSerializer, import_upload
from sambang.core.openapi import error_responses
from sambang.core.validators import field_lookup
from sambang.personnel.models import Role

from . import enrolment, provisioning
from .api import request_user
from .provisioning import IssuedActivation


class AccountCreateSerializer(serializers.Serializer[Any]):
    officer = serializers.CharField(
        max_length=8,
        required=False,
        help_text=_("An officer's NRP: the officer's account (leave username, role, unit empty)."),
    )
    username = serializers.CharField(max_length=150, required=False)
    role = serializers.ChoiceField(
        [c for c in Role.choices if c[0] != Role.OFFICER],
        required=False,
        help_text=_("A supervisor's role; national and admin only by an administrator."),
    )
    unit = serializers.CharField(
        max_length=40,
        required=False,
        help_text=_("The code of a unit below the caller's own (none for an administrator)."),
    )
    name = serializers.CharField(max_length=150, required=False, allow_blank=True)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, list[str]] = {}
        if data.get("officer"):
            for name in ("username", "role", "unit"):
                if data.get(name):
                    errors[name] = [str(_("Leave empty when an officer's NRP is given."))]
        else:
            for name in ("username", "role"):
                if not data.get(name):
                    errors[name] = [str(_("This field is required, or give an officer's NRP."))]
        if errors:
            raise serializers.ValidationError(errors)
        return data


class ActivationSerializer(serializers.Serializer[Any]):
    username = serializers.CharField()
    name = serializers.CharField()
    role = serializers.ChoiceField(Role.choices)
    unit = serializers.CharField(allow_null=True, help_text=_("the unit's code"))
    code = serializers.CharField(
        help_text=_("The one-time activation code, shown only now: print it or hand it on.")
    )
    url = serializers.CharField(help_text=_("The activation link (the code is part of it)."))
    expires_at = serializers.DateTimeField()


class AccountImportResultSerializer(serializers.Serializer[Any]):
    created = serializers.IntegerField(help_text=_("accounts created (on a dry run: would be)"))
    dry_run = serializers.BooleanField()
    activations = ActivationSerializer(many=True)


def _activation(request: Request, issued: IssuedActivation) -> dict[str, Any]:
    user = issued.user
    return {
        "username": user.username,
        "name": user.get_full_name(),
        "role": user.role,
        "unit": user.unit.code if user.unit else None,
        "code": issued.printable_code,
        "url": request.build_absolute_uri(issued.path),
        "expires_at": issued.activation.expires_at,
    }


def _require_provisioner(request: Request) -> None:
    if not access.can_provision_accounts(request.user):
        raise PermissionDenied(_("Only supervisors and administrators create accounts."))


class AccountCreateView(generics.GenericAPIView[Any]):
    serializer_class = AccountCreateSerializer

    @error_responses(409)
    @extend_schema(responses={201: ActivationSerializer})
    def post(self, request: Request) -> Response:
        """Create an account without a password, for an officer in the caller's scope or a
        supervisor of a unit below the caller's own, with its one-time activation."""
        _require_provisioner(request)
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = request_user(request)
        if values.get("officer"):
            officer = field_lookup(
                "officer", lambda: access.access_officer(user, values["officer"])
            )
            issued = provisioning.account_create(by=user, officer=officer, request=request._request)
        else:
            issued = provisioning.account_create(
                by=user,
                username=values["username"],
                role=values["role"],
                unit=provisioning.unit_named(values.get("unit", "")),
                name=values.get("name", ""),
                request=request._request,
            )
        return Response(_activation(request, issued), status=status.HTTP_201_CREATED)


class AccountImportView(APIView):
    @extend_schema(request=ImportUploadSerializer, responses={200: AccountImportResultSerializer})
    def post(self, request: Request) -> Response:
        """Create accounts from a CSV or XLSX file (multipart), all or none: a row with
        ``nrp`` makes an officer's account, a row with ``username``, ``role`` and ``unit``
        (and optionally ``name``) a supervisor's. A wrong row is an error naming its row
        and column, and nothing is created. The answer holds each new activation, once."""
        _require_provisioner(request)
        user = request_user(request)
        result = cast(
            provisioning.AccountsImport,
            import_upload(
                request,
                lambda path, dry_run: provisioning.accounts_import(
                    path=path, user=user, dry_run=dry_run
                ),
            ),
        )
        return Response(
            {
                "created": result.created,
                "dry_run": result.dry_run,
                "activations": [_activation(request, item) for item in result.activations],
            }
        )


class EnrolmentLinkView(APIView):
    @extend_schema(request=None, responses={201: ActivationSerializer})
    def post(self, request: Request, username: str) -> Response:
        """A new two-factor enrolment link for a supervisor's account below the caller (an
        administrator: any account but an officer's; an account not yet activated gets a new
        activation); earlier unused links of the account stop working. The holder opens it
        and enrols an authenticator with their own password. The code is shown only now."""
        _require_provisioner(request)
        user = request_user(request)
        account = access.supervisor_accounts_for_user(user).filter(username=username).first()
        if account is None:
            raise NotFound
        issued = enrolment.enrolment_issue(user=account, by=user, request=request._request)
        return Response(_activation(request, issued), status=status.HTTP_201_CREATED)
