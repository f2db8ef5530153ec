"""Failed sign-ins: who is held back, for how long, and how the owner gets back in.

The choice, and why:

- **django-axes locks an account only together with the address** the failures came from
  (``AXES_LOCKOUT_PARAMETERS``: username and address together, and the address alone,
  ``SAMBANG_LOGIN_FAILURE_LIMIT`` failures, ``SAMBANG_LOGIN_COOLOFF_MINUTES``). It used to
  lock the account by its username alone: ten wrong passwords from anywhere locked any
  known account for 15 minutes, and a stranger with the list of a Polres' usernames locked
  the whole Polres out. Now the stranger locks only his own address.
- **A progressive delay per account** (here), whatever the address: after
  ``SAMBANG_LOGIN_FREE_FAILURES`` failures, the next try must wait 2 s after the last
  failure, then 4 s, 8 s… up to ``SAMBANG_LOGIN_MAX_DELAY_SECONDS``. A guesser spread over
  many addresses gets a few tries an hour on each account, and no lock longer than the
  largest delay. A try made too early is refused with 429 and ``Retry-After`` before any
  password is compared, and is not counted. Failures are counted for any username, known or
  not, so that the delay never tells whether an account exists; a day without a failure,
  or a sign-in, forgets them.
- **The owner's own browser or phone is not delayed**: a device (its ``sambang_device``
  cookie or ``X-Sambang-Device`` header, ``core.devices``) that has signed in to the account
  before signs in while strangers are held back.
- **Unlock**: setting a new password (a reset by e-mail, which proves the owner holds the
  account's mailbox; an administrator or supervisor setting one or issuing an activation)
  forgets the account's failures and lifts its locks, on every address. Administrators also
  remove a lock in the admin (Axes' access attempts). No CAPTCHA: the app works offline-first
  on phones and loads nothing from outside.

Counts live in the cache (shared by all processes with ``CACHE_URL=redis://…``); two
failures at the same instant may count once, which only makes the delay a step shorter.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.db.models.signals import post_save
from django.http import HttpRequest

from sambang.core.devices import device_of
from sambang.personnel.models import User

# Set on a request whose sign-in was refused before any password was compared (a lock or
# the delay): ``auth.LockoutBackend``.
REFUSED = "sambang_signin_refused"
# Set with the seconds left when the refusal is the account's delay.
RETRY_AFTER = "sambang_retry_after"
# Failures are forgotten a day after the last one.
MEMORY_S = 24 * 3600
# A device that signed in to an account is known to it this long.
KNOWN_DEVICE_S = 180 * 24 * 3600


def now() -> float:
    return time.time()


def _account(username: str) -> str:
    return hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]


def _failures_key(username: str) -> str:
    return f"login-failures:{_account(username)}"


def _device_key(username: str, device: str) -> str:
    return f"login-device:{_account(username)}:{device}"


def delay_after(failures: int) -> int:
    """Seconds the next try waits after the last failure, for this many failures: none
    below ``SAMBANG_LOGIN_FREE_FAILURES``, then 2, 4, 8… up to the maximum."""
    extra = failures - settings.SAMBANG_LOGIN_FREE_FAILURES + 1
    if extra <= 0:
        return 0
    return int(min(2 ** min(extra, 30), settings.SAMBANG_LOGIN_MAX_DELAY_SECONDS))


def wait_seconds(request: HttpRequest, username: str) -> int:
    """How long this request must still wait before its password is tried (0: go on)."""
    kept = cache.get(_failures_key(username))
    if not isinstance(kept, dict):
        return 0
    remaining = kept["last"] + delay_after(kept["failures"]) - now()
    if remaining <= 0:
        return 0
    device = device_of(request)
    if device and cache.get(_device_key(username, device)):
        return 0  # the owner's own browser or phone
    return max(1, int(remaining + 0.999))


def forget(username: str) -> None:
    """Forget the account's failures and lift Axes' locks of it on every address."""
    cache.delete(_failures_key(username))
    axes_reset(username=username)


def _failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = credentials.get("username")
    if not username or request is None or getattr(request, REFUSED, False):
        return  # a try refused before its password was compared is not a failure of it
    kept = cache.get(_failures_key(username))
    failures = kept["failures"] if isinstance(kept, dict) else 0
    cache.set(_failures_key(username), {"failures": failures + 1, "last": now()}, timeout=MEMORY_S)


def _signed_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    cache.delete(_failures_key(user.get_username()))
    device = device_of(request) if request is not None else ""
    if device:
        cache.set(_device_key(user.get_username(), device), True, timeout=KNOWN_DEVICE_S)


def _password_saved(sender: type[User], instance: User, created: bool, **kwargs: Any) -> None:
    # ``_password`` holds the raw password from set_password() until the save completes.
    if not created and not kwargs.get("raw") and getattr(instance, "_password", None):
        forget(instance.get_username())


def connect() -> None:
    """Install the hooks (from the app's ``ready()``)."""
    user_login_failed.connect(_failed, dispatch_uid="lockout-failed")
    user_logged_in.connect(_signed_in, dispatch_uid="lockout-signed-in")
    post_save.connect(_password_saved, sender=User, dispatch_uid="lockout-password-saved")
