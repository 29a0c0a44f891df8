"""Settings shared by every environment. Everything site-specific comes from the environment."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parents[2]
env = environ.Env()

DATA_DIR = Path(env.str("ITFABRIK_DATA_DIR", default="var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Shown as a banner; turns off the two-factor requirement for staff roles.
DEMO_MODE = env.bool("ITFABRIK_DEMO_MODE", default=False)
REQUIRE_STAFF_2FA = env.bool("ITFABRIK_REQUIRE_STAFF_2FA", default=not DEMO_MODE)

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
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "treebeard",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "itfabrik.core",
    "itfabrik.tenancy",
    "itfabrik.accounts",
    "itfabrik.catalog",
    "itfabrik.billing",
    "itfabrik.accessibility",
    "itfabrik.servicedesk",
    "itfabrik.knowledge",
    "itfabrik.mailchannel",
    "itfabrik.satisfaction",
    "itfabrik.bookings",
    "itfabrik.deskreports",
    "itfabrik.assets",
    "itfabrik.chat",
    "itfabrik.network",
    "itfabrik.economy",
    "itfabrik.governance",
    "itfabrik.identity",
    "itfabrik.systems",
    "itfabrik.risks",
    "itfabrik.portfolio",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "itfabrik.core.middleware.RequestContextMiddleware",
    "itfabrik.accounts.middleware.TwoFactorMiddleware",
    "itfabrik.core.middleware.ApplicationErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "itfabrik.config.urls"
WSGI_APPLICATION = "itfabrik.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "itfabrik.core.context_processors.shell",
            ],
        },
    }
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'itfabrik.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker and the web process write without "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The list queries are short OLTP queries; PostgreSQL's JIT compiled them on every request
    # and cost more than it saved (bench/README.md). Settable per installation.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "options", env.str("ITFABRIK_PG_OPTIONS", default="-c jit=off")
    )
    # A new connection per request costs PostgreSQL a backend process and the authentication, more
    # than a whole ticket's creation (bench/README.md, ADR 0049). Each web thread keeps its own;
    # the health check replaces one the server has dropped before it is used.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("ITFABRIK_DB_CONN_MAX_AGE", default=300)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes): lock a username+address after repeated failures.
AXES_FAILURE_LIMIT = env.int("ITFABRIK_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "itfabrik.accounts.web.views.lockout_response"
AXES_VERBOSE = False
# Behind reverse proxies the client address comes from X-Forwarded-For, counted from the right
# (itfabrik.core.client_ip); 0 means no proxy: REMOTE_ADDR.
ITFABRIK_TRUSTED_PROXY_COUNT = env.int("ITFABRIK_TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "itfabrik.core.client_ip.client_ip"

# The cache holds throttling counters (core/throttle.py). The default, local memory, counts per
# server process; CACHE_URL (e.g. redis://…, or dbcache://itfabrik_cache after
# `createcachetable`) makes the count shared by every worker.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# Anonymous accessibility reports (itfabrik.accessibility; each sends a mail): at most this many
# per client address and window (seconds).
ITFABRIK_REPORT_LIMIT = env.int("ITFABRIK_REPORT_LIMIT", default=5)
ITFABRIK_REPORT_WINDOW = env.int("ITFABRIK_REPORT_WINDOW", default=3600)

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy: only our own origin. All assets are vendored.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = DATA_DIR / "mail"
if env.str("EMAIL_URL", default=""):
    # e.g. smtp+tls://user:password@smtp.kommun.se:587
    vars().update(env.email_url("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="itfabrik@localhost")
# The site's public address, for absolute links in outgoing mail (no request to ask there).
ITFABRIK_SITE_URL = env.str("ITFABRIK_SITE_URL", default="http://127.0.0.1:8000")
# Where reports from the accessibility statement (itfabrik.accessibility) are mailed. Unset:
# nothing is mailed (no made-up address); the reports are kept in the database and listed to
# superusers in the admin (django-admin/ → Tillgänglighetsrapporter). See docs/operations.md.
ACCESSIBILITY_CONTACT_EMAIL = env.str("ITFABRIK_ACCESSIBILITY_EMAIL", default="")

# The service desk's mailbox (itfabrik.mailchannel; docs/operations.md, "E-post till
# servicedesken"). No host: `itfabrik mail fetch` says so and the worker fetches nothing.
ITFABRIK_MAIL_ADDRESS = env.str("ITFABRIK_MAIL_ADDRESS", default="")
ITFABRIK_MAIL_COOPERATION = env.str("ITFABRIK_MAIL_COOPERATION", default="")
ITFABRIK_MAIL_IMAP_HOST = env.str("ITFABRIK_MAIL_IMAP_HOST", default="")
ITFABRIK_MAIL_IMAP_PORT = env.int("ITFABRIK_MAIL_IMAP_PORT", default=0)
ITFABRIK_MAIL_IMAP_USER = env.str("ITFABRIK_MAIL_IMAP_USER", default="")
ITFABRIK_MAIL_IMAP_PASSWORD = env.str("ITFABRIK_MAIL_IMAP_PASSWORD", default="")
ITFABRIK_MAIL_IMAP_FOLDER = env.str("ITFABRIK_MAIL_IMAP_FOLDER", default="INBOX")
ITFABRIK_MAIL_IMAP_SECURITY = env.str("ITFABRIK_MAIL_IMAP_SECURITY", default="tls")
ITFABRIK_MAIL_IMAP_PROCESSED = env.str("ITFABRIK_MAIL_IMAP_PROCESSED", default="seen")
ITFABRIK_MAIL_IMAP_MOVE_TO = env.str("ITFABRIK_MAIL_IMAP_MOVE_TO", default="Behandlat")
ITFABRIK_MAIL_FETCH_INTERVAL = env.int("ITFABRIK_MAIL_FETCH_INTERVAL", default=0)
ITFABRIK_MAIL_UNKNOWN_SENDER = env.str("ITFABRIK_MAIL_UNKNOWN_SENDER", default="refuse")
ITFABRIK_MAIL_UNKNOWN_REQUESTER = env.str("ITFABRIK_MAIL_UNKNOWN_REQUESTER", default="")
ITFABRIK_MAIL_CLOSED_REPLY = env.str("ITFABRIK_MAIL_CLOSED_REPLY", default="reopen")
ITFABRIK_MAIL_NOTIFY = env.str("ITFABRIK_MAIL_NOTIFY", default="all")
ITFABRIK_MAIL_RATE_LIMIT = env.int("ITFABRIK_MAIL_RATE_LIMIT", default=20)
ITFABRIK_MAIL_RATE_WINDOW = env.int("ITFABRIK_MAIL_RATE_WINDOW", default=60)
ITFABRIK_MAIL_ATTACHMENT_MAX_BYTES = env.int(
    "ITFABRIK_MAIL_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024
)

TASKS = {
    "default": {
        "BACKEND": env.str("ITFABRIK_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

REST_FRAMEWORK = {
    # Token first: DRF takes the WWW-Authenticate header of a 401 from the first class.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "itfabrik.accounts.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "itfabrik.core.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "itfabrik.core.api.validation.FilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "itfabrik.core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "itfabrik.core.api.errors.exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
API_DESCRIPTION = """\
API för itfabrik – driftplattformen för en gemensam kommunal IT-organisation.
*The API of itfabrik, the platform of a joint municipal IT organisation.*

## Kom igång / Getting started

**1. Hämta en API-nyckel / Get an API key.** Antingen på webbsidan **Mitt konto → API-nyckel**
(`/konto/api-nyckel/`), eller med användarnamn och lösenord (och engångskod om tvåfaktor krävs):

```
curl -X POST https://<server>/api/v1/auth/token/ \\
     -H 'Content-Type: application/json' \\
     -d '{"username": "anna", "password": "…", "otp": "123456"}'
→ {"token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"}
```

*Either on the web page* My account → API key *(`/konto/api-nyckel/`), or with
`POST /api/v1/auth/token/` as above.*

**2. Skicka nyckeln i varje anrop / Send the key with every request** i huvudet
`Authorization` med ordet `Token` framför (inte `Bearer`):

```
curl https://<server>/api/v1/me/ -H 'Authorization: Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b'
```

*In the* `Authorization` *header, prefixed with the word* `Token` *(not* `Bearer`*).* Ett anrop
med fel schema får svaret 401 med ett meddelande som säger hur det ska se ut.

**På den här sidan / On this page:** klicka på **Authorize** och skriv
`Token <din nyckel>` (med ordet Token) i fältet. Är du redan inloggad i itfabrik i samma
webbläsare skickar sidan din inloggning (sessionen) också; den behöver inte ställas in.
*Click* Authorize *and enter* `Token <your key>`. *If you are signed in to itfabrik in this
browser, the page sends your session too; there is nothing to set up for it.*

## Fel / Errors

Varje fel har formatet `{"error": {"code", "message", "messages", "fields"}}`; `messages` och
varje fältfel ges på svenska och engelska. *Every error has this format, with every message in
Swedish and English.*
"""
SPECTACULAR_SETTINGS = {
    "TITLE": "itfabrik API",
    "DESCRIPTION": API_DESCRIPTION,
    # Only the token appears under "Authorize": the session cookie is how this page itself is
    # signed in, not something a client sets up (see the description).
    "AUTHENTICATION_WHITELIST": ["itfabrik.accounts.api.authentication.TokenAuthentication"],
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Several apps have a `status`; name each app's own choice set so the schema stays stable.
    "ENUM_NAME_OVERRIDES": {
        "ArticleStatusEnum": "itfabrik.knowledge.choices.ArticleStatus",
        "ArticleAudienceEnum": "itfabrik.knowledge.choices.Audience",
        "ArticleKindEnum": "itfabrik.knowledge.choices.ArticleKind",
        "NetworkDeviceStatusEnum": "itfabrik.network.choices.DeviceStatus",
        "NetworkVlanStatusEnum": "itfabrik.network.choices.VlanStatus",
        "NetworkImportKindEnum": "itfabrik.network.choices.ImportKind",
        "KindEnum": "itfabrik.tenancy.choices.NodeKind",
        "IdentityAccountKindEnum": "itfabrik.identity.choices.AccountKind",
        "IdentityViolationKindEnum": "itfabrik.identity.choices.ViolationKind",
        "KlassaLevelEnum": "itfabrik.core.klassa.Level",
        "ProgrammeStatusEnum": "itfabrik.systems.choices.ProgrammeStatus",
        "DeviceKindEnum": "itfabrik.assets.choices.DeviceKind",
        "ImportRowActionEnum": "itfabrik.assets.choices.RowAction",
        "ActionEnum": "itfabrik.core.models.AuditAction",
        "DeviceStateEnum": "itfabrik.assets.choices.DeviceState",
    },
}

# Optional OpenID Connect sign-in (e.g. Entra ID); on when a client id is configured.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED:
    OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
    OIDC_RP_SCOPES = "openid email profile"
    OIDC_CREATE_USER = False
    # The issuer the stable identity (oid/sub) is stored with; empty: the token's `iss`.
    OIDC_OP_ISSUER = env.str("OIDC_OP_ISSUER", default="")
    OIDC_CALLBACK_CLASS = "itfabrik.accounts.oidc.OIDCCallbackView"
    OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="Entra ID")
    AUTHENTICATION_BACKENDS.append("itfabrik.accounts.oidc.OIDCBackend")
    INSTALLED_APPS.append("mozilla_django_oidc")
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(OIDC_OP_AUTHORIZATION_ENDPOINT)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
