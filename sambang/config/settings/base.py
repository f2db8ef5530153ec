"""Settings shared by every environment; values that vary are read from the environment."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import django_stubs_ext
import environ
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

# Lets runtime code write the generic types the type checker reads (ModelAdmin[Unit]).
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# Local state (the SQLite file, uploaded media, collected static files) lives in one
# folder, by default ./var under the directory the command is run from.
DATA_DIR = Path(env.str("SAMBANG_DATA_DIR", default=str(Path.cwd() / "var"))).resolve()

# Placeholder for local use only; production.py refuses to start with it.
INSECURE_DEFAULT_SECRET_KEY = "django-insecure-sambang-local-only"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_DEFAULT_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Demo logins work only when the demo is explicitly switched on (make demo does).
DEMO_MODE = env.bool("SAMBANG_DEMO", default=False)

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'sambang.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL and a busy timeout keep a demo server and a command usable at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Fail fast with a clear error when the server is down, instead of hanging.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "DATABASE_CONNECT_TIMEOUT", default=5
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "sambang.core",
    "sambang.accounts",
    "sambang.territory",
    "sambang.organization",
    "sambang.personnel",
    "sambang.fieldwork",
    "sambang.security",
    "sambang.public",
    "sambang.audit",
    "sambang.community",
    # Before the evaluation: its receiver of processed reports reads how the evaluation
    # counted them until then (alerts.counts).
    "sambang.alerts",
    "sambang.chat",
    "sambang.partners",
    "sambang.knowledge",
    "sambang.evaluation",
    "sambang.resources",
    "sambang.exports",
    "sambang.worklist",
    "sambang.notifications",
    "sambang.planning",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    "sambang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sambang.core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sambang.core.middleware.ChosenLanguageMiddleware",
    # Before anything reads a body: photo routes' bodies are bounded, their files capped.
    "sambang.core.uploads.UploadLimitMiddleware",
    "sambang.core.querystrings.NulInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "sambang.core.middleware.LoginRequiredByDefaultMiddleware",
    "sambang.partners.routes.PartnerRoutesMiddleware",
    "sambang.core.devices.DeviceCookieMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: turns a lock-out flagged during sign-in into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sambang.config.urls"
WSGI_APPLICATION = "sambang.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "sambang.core.context_processors.navigation",
                "sambang.core.typed.typed",
            ],
        },
    },
]

AUTH_USER_MODEL = "personnel.User"
AUTHENTICATION_BACKENDS = [
    "sambang.accounts.auth.LockoutBackend",
    "sambang.personnel.auth.SambangBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"
# Argon2id for new and changed passwords; hashes of the older kinds still verify and are
# upgraded at the next login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Bahasa Indonesia first, English second.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# Stored in UTC; each police unit carries its own local zone (WIB/WITA/WIT).
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Jakarta")

STATIC_URL = "static/"
# Front-end libraries come from PyPI (XStatic packages) and are served with ours: no CDN.
STATICFILES_DIRS = [
    ("vendor/leaflet", xstatic.pkg.leaflet.BASE_DIR),
    ("vendor/leaflet-markercluster", xstatic.pkg.leaflet_markercluster.BASE_DIR),
]
# Map tiles, e.g. "https://tile.example.org/{z}/{x}/{y}.png" (empty: a plain background,
# which is all the maps need; boundaries and points are drawn from our own data).
SAMBANG_MAP_TILES = env.str("SAMBANG_MAP_TILES", default="")
STATIC_ROOT: Path | None = Path(env.str("STATIC_ROOT", default=str(DATA_DIR / "static")))
MEDIA_URL = "media/"
# Largest photo an officer may upload (phones shoot 2–8 MB).
SAMBANG_PHOTO_MAX_BYTES = env.int("SAMBANG_PHOTO_MAX_BYTES", default=12 * 1024 * 1024)
# Largest body of any other request: an import file (a national officers' list in CSV is
# about 8 MB). Larger is a 413 before any of it is read.
SAMBANG_MAX_BODY_BYTES = env.int("SAMBANG_MAX_BODY_BYTES", default=32 * 1024 * 1024)
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "media")))
STORAGES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "sambang.core.storage.StaticFilesStorage"},
}
# Production keeps media in an S3-compatible bucket (AWS S3, MinIO, Ceph…) when one is named;
# credentials come from the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. Files stay
# private: pages link to them with signed URLs that expire.
if S3_BUCKET := env.str("SAMBANG_S3_BUCKET", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env.str("SAMBANG_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("SAMBANG_S3_REGION", default="") or None,
            "location": env.str("SAMBANG_S3_PREFIX", default="media"),
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 3600,
            "file_overwrite": False,
        },
    }

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "sambang.accounts.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["sambang.partners.routes.NotPartner"],
    "DEFAULT_PARSER_CLASSES": [
        "sambang.core.parsers.JSONParser",  # a deeply nested body is a 400, not a 500
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "sambang.core.pagination.LimitOffsetPagination",
    "DEFAULT_METADATA_CLASS": "sambang.core.metadata.Metadata",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "sambang.core.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sambang API",
    "DESCRIPTION": (
        "JSON API of Sambang. Clients authenticate with `Authorization: Token <key>` "
        "(POST /api/v1/auth/token); pages use the session. Every error has the shape "
        '`{"error": {"code", "message", "fields"}}`.'
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation's error responses, in the one error shape (core/openapi.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "sambang.core.openapi.document_errors",
        "sambang.core.openapi.local_times",
    ],
    # Fields of the same name with different choices get names of their own.
    "ENUM_NAME_OVERRIDES": {
        "RegionKindEnum": "sambang.territory.models.RegionKind",
        "RegionLevelEnum": "sambang.territory.models.RegionLevel",
        "UnitLevelEnum": "sambang.organization.models.UnitLevel",
        "OfficerStatusEnum": "sambang.personnel.models.OfficerStatus",
        "PhotoKindEnum": "sambang.fieldwork.models.PhotoKind",
        "ProblemKindEnum": "sambang.security.models.ProblemKind",
        "IntegrityLevelEnum": "sambang.fieldwork.models.IntegrityLevel",
        "ReportStateEnum": "sambang.fieldwork.models.ReportState",
        "NewReportStateEnum": ["draft", "sent"],
        "SignalStatusEnum": ["pass", "warn", "fail"],
        "RealizationStatusEnum": ["reported", "late", "missed", "pending"],
        "CitizenStatusEnum": "sambang.public.models.CitizenStatus",
        "CitizenCategoryEnum": "sambang.public.models.CitizenCategory",
        "SpotCategoryEnum": "sambang.community.models.SpotCategory",
        "LowMediumHighEnum": "sambang.community.models.Level",
        "IncidentStatusEnum": "sambang.security.models.IncidentStatus",
    },
}

# Sign-in (accounts/lockout.py explains the choice). Failed attempts are counted per account
# from one address and per address (django-axes); past the limit that account from that
# address, or the address, is locked for the cool-off: a stranger locks only his own
# address, never the account everywhere. The per-address count is shared by everyone
# behind one NAT (a whole Polres office), hence a limit above the usual handful.
AXES_FAILURE_LIMIT = env.int("SAMBANG_LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("SAMBANG_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
# Per account, from any address: after this many failures each next try waits 2 s after
# the last failure, then 4 s, 8 s… up to the maximum; the owner's known devices do not wait.
SAMBANG_LOGIN_FREE_FAILURES = env.int("SAMBANG_LOGIN_FREE_FAILURES", default=5)
SAMBANG_LOGIN_MAX_DELAY_SECONDS = env.int("SAMBANG_LOGIN_MAX_DELAY_SECONDS", default=300)
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "sambang.core.addresses.client_address"
AXES_LOCKOUT_CALLABLE = "sambang.accounts.views.locked_out"
AXES_VERBOSE = False
# Roles that must sign in with a second factor (TOTP); officers may choose to.
SAMBANG_TWO_FACTOR_ROLES = env.list(
    "SAMBANG_TWO_FACTOR_ROLES", default=["polsek", "polres", "polda", "national", "admin"]
)
OTP_TOTP_ISSUER = "Sambang"
# New accounts get a one-time activation link (and code) valid this many days.
SAMBANG_ACTIVATION_DAYS = env.int("SAMBANG_ACTIVATION_DAYS", default=7)
# The site's address for links printed outside a request (``sambang accounts``), e.g.
# https://sambang.polri.go.id; empty: the commands print the path only.
SAMBANG_SITE_URL = env.str("SAMBANG_SITE_URL", default="").rstrip("/")
# An administrator may remove a user's authenticator (lost phone), never read its secret.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Password reset mail: EMAIL_URL, e.g. smtp+tls://user:password@mail.example.org:587
# (default: printed to the console).
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Sambang <noreply@localhost>")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2

SESSION_COOKIE_HTTPONLY = True
# Rate limits count in the cache: shared by all processes once CACHE_URL names Redis.
CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://sambang"),
    # Staffing figures kept under the staffing stamp (organization.selectors.staffing_kept):
    # each process its own, apart from the rate limits (never pushed out by them).
    "staffing": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "sambang-staffing",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
# Residents' reports: a first response is due within this many hours.
SAMBANG_FIRST_RESPONSE_HOURS = env.int("SAMBANG_FIRST_RESPONSE_HOURS", default=72)
# Public reports one address may file: per hour and per day.
SAMBANG_PUBLIC_REPORTS_PER_HOUR = env.int("SAMBANG_PUBLIC_REPORTS_PER_HOUR", default=5)
SAMBANG_PUBLIC_REPORTS_PER_DAY = env.int("SAMBANG_PUBLIC_REPORTS_PER_DAY", default=20)
# Tracking codes one address may try in an hour without finding a report (the status page
# and its API); codes that find their report are not counted.
SAMBANG_TRACKING_MISSES_PER_HOUR = env.int("SAMBANG_TRACKING_MISSES_PER_HOUR", default=20)
# The time the routing solver may take to order an officer's week (seconds).
SAMBANG_WEEK_ROUTE_SECONDS = env.float("SAMBANG_WEEK_ROUTE_SECONDS", default=0.5)
# A report counts as on time when sent within this many hours of the activity.
SAMBANG_REPORT_ON_TIME_HOURS = env.int("SAMBANG_REPORT_ON_TIME_HOURS", default=24)
# An officer's activity level by reports per assigned day: below the first, low; from the
# second on, active; between them, sufficient.
SAMBANG_ACTIVITY_THRESHOLDS = tuple(
    env.list("SAMBANG_ACTIVITY_THRESHOLDS", cast=float, default=[2.0, 5.0])
)
# Background jobs (large exports) through Django's task API, stored in the database and run
# by ``sambang db_worker``: no broker needed, here or in production.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# An XLSX download of more rows than this is written in the background (CSV always streams).
SAMBANG_EXPORT_INLINE_ROWS = env.int("SAMBANG_EXPORT_INLINE_ROWS", default=20_000)
# A running export beats every quarter of this lease; one silent longer has lost its worker
# (killed) and is written again while attempts remain, else marked failed.
SAMBANG_EXPORT_LEASE_SECONDS = env.int("SAMBANG_EXPORT_LEASE_SECONDS", default=120)
SAMBANG_EXPORT_ATTEMPTS = env.int("SAMBANG_EXPORT_ATTEMPTS", default=2)
# Reverse proxies in front of the app that append to X-Forwarded-For (0: the app faces clients).
SAMBANG_TRUSTED_PROXIES = env.int("SAMBANG_TRUSTED_PROXIES", default=0)

# A session lasts a working day at most, then the user signs in again.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"


# Content-Security-Policy: our own origin only; no inline script or style, no framing. The
# hosts an operator configures (map tiles, the media bucket's endpoint) are added below.
def _origin(url: str) -> str:
    """scheme://host[:port] of a URL ({z}/{x}/{y} placeholders in the path are fine)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


CSP_EXTRA_IMAGE_HOSTS: list[str] = env.list("SAMBANG_CSP_IMAGE_HOSTS", default=[])
if SAMBANG_MAP_TILES:
    CSP_EXTRA_IMAGE_HOSTS.append(_origin(SAMBANG_MAP_TILES.replace("{s}", "*")))
if S3_BUCKET:  # photos are shown from the bucket through signed URLs
    _region = env.str("SAMBANG_S3_REGION", default="")
    CSP_EXTRA_IMAGE_HOSTS.append(
        _origin(env.str("SAMBANG_S3_ENDPOINT_URL", default=""))
        or f"https://{S3_BUCKET}.s3.amazonaws.com"
        + (f" https://{S3_BUCKET}.s3.{_region}.amazonaws.com" if _region else "")
    )
CSP_EXTRA_IMAGE_HOSTS = [host for hosts in CSP_EXTRA_IMAGE_HOSTS for host in hosts.split()]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:", *CSP_EXTRA_IMAGE_HOSTS],
        "connect-src": [SELF],
        "font-src": [SELF],
        "manifest-src": [SELF],
        "worker-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Logs go to standard error: plain lines on a developer's machine, one JSON object per line
# in production (LOG_FORMAT=json), for the log collector to index.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["levelname", "name", "message", "process"],
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601, UTC
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own loggers print once, through the root's handler: Django's default
        # configuration also gives "django" a console handler of its own (each line twice).
        # "django.server" (the development server's request lines) keeps its own format.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # django-axes tells each failed sign-in at INFO and WARNING; failures and lock-outs
        # (WARNING) are what an operator needs.
        "axes": {"level": "WARNING"},
    },
}

# Web Push to the installed app (sambang/notifications): a VAPID key pair, printed by
# ``sambang notifications vapid-keys``, and a contact the push services may write to
# (mailto:… or https://…). Push is off until all three are set; the demo makes a pair of
# its own once, in the data folder.
SAMBANG_VAPID_PUBLIC_KEY = env.str("SAMBANG_VAPID_PUBLIC_KEY", default="")
SAMBANG_VAPID_PRIVATE_KEY = env.str("SAMBANG_VAPID_PRIVATE_KEY", default="")
SAMBANG_VAPID_SUBJECT = env.str("SAMBANG_VAPID_SUBJECT", default="")
if DEMO_MODE and not (SAMBANG_VAPID_PUBLIC_KEY or SAMBANG_VAPID_PRIVATE_KEY):
    from sambang.notifications.keys import demo_key_pair

    SAMBANG_VAPID_PUBLIC_KEY, SAMBANG_VAPID_PRIVATE_KEY = demo_key_pair(
        DATA_DIR / "vapid-demo.json"
    )
    SAMBANG_VAPID_SUBJECT = SAMBANG_VAPID_SUBJECT or "mailto:demo@example.org"
# The browsers' push services a subscription may name (the server posts there, nowhere
# else): a host, or ".domain" for its subdomains. Chrome, Edge (Chromium), Samsung,
# Opera: FCM; Firefox: Mozilla's; Safari: Apple's; Windows apps: WNS.
SAMBANG_PUSH_SERVICE_HOSTS: list[str] = env.list(
    "SAMBANG_PUSH_SERVICE_HOSTS",
    default=[
        "fcm.googleapis.com",
        "android.googleapis.com",
        "updates.push.services.mozilla.com",
        ".push.apple.com",
        ".notify.windows.com",
    ],
)

# Persons of interest are kept this many days after they are recorded, then purged.
SAMBANG_PERSON_RETENTION_DAYS = env.int("SAMBANG_PERSON_RETENTION_DAYS", default=5 * 365)

# Chat channels (sambang/chat): residents report, and follow their reports, by WhatsApp,
# Telegram or SMS. A channel is off (its webhook answers 404) until all its settings are
# given; README, "Chat channels", says where each comes from.
SAMBANG_CHAT_WHATSAPP = {
    "VERIFY_TOKEN": env.str("SAMBANG_WHATSAPP_VERIFY_TOKEN", default=""),
    "APP_SECRET": env.str("SAMBANG_WHATSAPP_APP_SECRET", default=""),
    "ACCESS_TOKEN": env.str("SAMBANG_WHATSAPP_ACCESS_TOKEN", default=""),
    "PHONE_NUMBER_ID": env.str("SAMBANG_WHATSAPP_PHONE_NUMBER_ID", default=""),
    # An approved template with one body parameter, for answers after 24 hours of silence.
    "TEMPLATE": env.str("SAMBANG_WHATSAPP_TEMPLATE", default=""),
    "TEMPLATE_LANGUAGE": env.str("SAMBANG_WHATSAPP_TEMPLATE_LANGUAGE", default="id"),
    "API_BASE": env.str("SAMBANG_WHATSAPP_API_BASE", default="https://graph.facebook.com/v21.0"),
}
SAMBANG_CHAT_TELEGRAM = {
    "BOT_TOKEN": env.str("SAMBANG_TELEGRAM_BOT_TOKEN", default=""),
    "SECRET_TOKEN": env.str("SAMBANG_TELEGRAM_SECRET_TOKEN", default=""),
    "API_BASE": env.str("SAMBANG_TELEGRAM_API_BASE", default="https://api.telegram.org"),
}
SAMBANG_CHAT_SMS = {
    "SIGNING_KEY": env.str("SAMBANG_SMS_SIGNING_KEY", default=""),
    "API_BASE": env.str("SAMBANG_SMS_API_BASE", default=""),
    "USERNAME": env.str("SAMBANG_SMS_USERNAME", default=""),
    "PASSWORD": env.str("SAMBANG_SMS_PASSWORD", default=""),
}
SAMBANG_CHAT_LANGUAGE = env.str("SAMBANG_CHAT_LANGUAGE", default="id")
# Messages one sender may send in an hour; past it they are recorded and not answered.
SAMBANG_CHAT_MESSAGES_PER_HOUR = env.int("SAMBANG_CHAT_MESSAGES_PER_HOUR", default=60)
