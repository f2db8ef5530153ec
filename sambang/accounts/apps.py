from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sambang.accounts"
    verbose_name = _("Accounts and sign-in")

    def ready(self) -> None:
        from . import lockout, privileges, tokens

        privileges.connect()
        tokens.connect()
        lockout.connect()
