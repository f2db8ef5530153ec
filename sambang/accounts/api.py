"""API tokens: obtain one (password, and a code where two-factor is on), list, revoke."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sambang.core.openapi import error_responses
from sambang.personnel.models import User

from . import twofactor
from .models import ApiToken


class ObtainSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"})
    otp = serializers.CharField(
        max_length=10,
        required=False,
        help_text=_("The code of the user's authenticator, where two-factor is on."),
    )
    name = serializers.CharField(
        max_length=100,
        required=False,
        help_text=_("What the token is for, e.g. the phone it lives on; shown in the list."),
    )


class IssuedSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    token = serializers.CharField(help_text=_("Send as `Authorization: Token <token>`."))


class TokenSerializer(serializers.ModelSerializer[ApiToken]):
    current = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at", "current"]

    def get_current(self, token: ApiToken) -> bool:
        return token == self.context["request"].auth


class TokenView(APIView):
    """Exchange a username and password (and a one-time code where two-factor is on) for a
    new API token. Each device gets its own; the key is shown once."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @error_responses(429)
    @extend_schema(request=ObtainSerializer, responses={200: IssuedSerializer})
    def post(self, request: Request) -> Response:
        data = ObtainSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # The Django request, so that django-axes counts failures and locks out.
        user = authenticate(
            request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None:
            raise exceptions.ValidationError(
                {"non_field_errors": [_("Unable to log in with the given username and password.")]}
            )
        device = twofactor.confirmed_device(user)
        if device is not None:
            code = data.validated_data.get("otp", "")
            problem = (
                twofactor.check_code(device, code) if code else str(_("This user needs a code."))
            )
            if problem:
                raise exceptions.ValidationError({"otp": [problem]})
        elif twofactor.requires_two_factor(user):
            raise exceptions.PermissionDenied(
                _(
                    "Your role needs an authenticator: ask your administrator or the supervisor "
                    "above you for a two-factor enrolment link."
                )
            )
        name = data.validated_data.get("name") or request.headers.get("User-Agent", "")
        token, key = ApiToken.issue(user, name)
        return Response({"id": token.pk, "token": key})


def request_user(request: Request) -> User:
    """The signed-in user of a view DRF has already refused to anonymous callers."""
    return cast(User, request.user)


class TokenListView(generics.ListAPIView[ApiToken]):
    """The caller's own API tokens (keys are never shown again)."""

    serializer_class = TokenSerializer
    pagination_class = None

    def get_queryset(self) -> Any:
        return ApiToken.objects.filter(user=request_user(self.request))


class TokenRevokeView(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        """Revoke one of the caller's tokens; it stops working at once."""
        deleted, _rows = ApiToken.objects.filter(pk=pk, user=request_user(request)).delete()
        if not deleted:
            raise exceptions.NotFound
        return Response(status=status.HTTP_204_NO_CONTENT)
