"""JSON API of the caller's own notifications: their devices' push subscriptions, and which
kinds of notification they get."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from sambang.accounts.api import request_user

from . import selectors, services
from .channels.webpush import push_available
from .models import Kind, NotificationPreference, PushSubscription


class KeysSerializer(serializers.Serializer[Any]):
    p256dh = serializers.CharField(
        max_length=100, help_text=_("the browser's public key (base64url)")
    )
    auth = serializers.CharField(
        max_length=40, help_text=_("the subscription's authentication secret (base64url)")
    )


class SubscriptionInSerializer(serializers.Serializer[Any]):
    """A browser's ``PushSubscription.toJSON()`` (``expirationTime`` is ignored)."""

    endpoint = serializers.CharField(
        max_length=1000, help_text=_("the push service's URL for this browser")
    )
    keys = KeysSerializer()


class SubscriptionSerializer(serializers.ModelSerializer[PushSubscription]):
    class Meta:
        model = PushSubscription
        fields = ["endpoint", "device", "created_at", "last_success_at"]


class PushSubscriptionsView(APIView):
    @extend_schema(
        request=SubscriptionInSerializer,
        responses={201: SubscriptionSerializer, 200: SubscriptionSerializer},
    )
    def post(self, request: Request) -> Response:
        """Register this browser for push (the same endpoint again: updated, 200, not a
        second device). Refused when the endpoint is not a known push service's."""
        data = SubscriptionInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        subscription, created = services.subscription_register(
            user=request_user(request),
            endpoint=values["endpoint"],
            p256dh=values["keys"]["p256dh"],
            auth=values["keys"]["auth"],
            device=request.headers.get("User-Agent", ""),
            language=getattr(request, "LANGUAGE_CODE", ""),
        )
        return Response(
            SubscriptionSerializer(subscription).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "endpoint", str, required=True, description="the subscription's endpoint"
            )
        ],
        responses={204: None},
    )
    def delete(self, request: Request) -> Response:
        """Stop pushing to this browser (nothing happens for an endpoint not the caller's)."""
        endpoint = request.query_params.get("endpoint", "")
        if not endpoint:
            raise ValidationError({"endpoint": [_("This field is required.")]})
        services.subscription_remove(user=request_user(request), endpoint=endpoint)
        return Response(status=status.HTTP_204_NO_CONTENT)


CHOICES = [kind.value for kind in Kind]


class PreferencesSerializer(serializers.ModelSerializer[NotificationPreference]):
    kinds = serializers.SerializerMethodField(
        help_text=_("the kinds the caller's role receives (the others are kept, not used)")
    )
    push_available = serializers.SerializerMethodField(
        help_text=_("whether this server sends push notifications")
    )
    push_public_key = serializers.SerializerMethodField(
        help_text=_("the applicationServerKey for pushManager.subscribe (empty when off)")
    )

    class Meta:
        model = NotificationPreference
        fields = [*CHOICES, "kinds", "push_available", "push_public_key"]

    def get_kinds(self, preference: NotificationPreference) -> list[str]:
        return [kind.value for kind in selectors.kinds_for(preference.user)]

    def get_push_available(self, preference: NotificationPreference) -> bool:
        return push_available()

    def get_push_public_key(self, preference: NotificationPreference) -> str:
        return str(settings.SAMBANG_VAPID_PUBLIC_KEY) if push_available() else ""


class PreferencesInSerializer(serializers.Serializer[Any]):
    directive = serializers.BooleanField(required=False, help_text=Kind.DIRECTIVE.label)
    report_returned = serializers.BooleanField(required=False, help_text=Kind.REPORT_RETURNED.label)
    citizen_report = serializers.BooleanField(required=False, help_text=Kind.CITIZEN_REPORT.label)
    overdue = serializers.BooleanField(required=False, help_text=Kind.OVERDUE.label)
    digest = serializers.BooleanField(required=False, help_text=Kind.DIGEST.label)


class PreferencesView(APIView):
    @extend_schema(responses={200: PreferencesSerializer})
    def get(self, request: Request) -> Response:
        """Which kinds of notification the caller gets (all, until they choose)."""
        preference = selectors.preferences_of(request_user(request))
        return Response(PreferencesSerializer(preference).data)

    @extend_schema(request=PreferencesInSerializer, responses={200: PreferencesSerializer})
    def put(self, request: Request) -> Response:
        """Choose which kinds of notification the caller gets (kinds left out keep their
        value)."""
        data = PreferencesInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        preference = services.preferences_update(
            user=request_user(request),
            choices=dict(data.validated_data),
            language=getattr(request, "LANGUAGE_CODE", ""),
        )
        return Response(PreferencesSerializer(preference).data)
