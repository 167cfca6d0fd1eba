"""Settings come from the environment; defaults run the embedded SQLite demo.

DATABASE_URL   selects the database (default: SQLite file var/civicloop.sqlite3 in WAL mode)
CIVICLOOP_ENV  "development" (default: the built-in key, plain HTTP) or "production" (see the security block below)
SECRET_KEY     required in production, where the built-in development key is refused
DEBUG          "1"/"true" to enable
ALLOWED_HOSTS  comma separated (required in production)
PORT           port for `civicloop serve` (default 8000)

Login and sessions (issue 21; docs/decisions.md "login throttling, password policy, sessions"):
CIVICLOOP_LOGIN_FAILURE_LIMIT      failed logins before a lockout (default 5)
CIVICLOOP_LOGIN_COOLOFF_MINUTES    how long a lockout lasts (default 30)
CIVICLOOP_LOGIN_LOCKOUT_BY         what is counted: "username,ip_address" (each on its own, the default) or
                                   "username+ip_address" (the pair) — django-axes' AXES_LOCKOUT_PARAMETERS
CIVICLOOP_PROXY_COUNT              reverse proxies in front of the server (default 0: the client is REMOTE_ADDR)
CIVICLOOP_SESSION_IDLE_MINUTES     signed out after this long without a request (default 30)
CIVICLOOP_SESSION_MAX_HOURS        signed out this long after login, active or not (default 12)
CIVICLOOP_MAX_UPLOAD_MB            the largest file an import accepts, on the page and the API (default 50)
CIVICLOOP_RATE_LIMIT_SCALE         multiplies every per-client rate limit of `core.ratelimit` (default 1; the
                                   bench raises it: 16 clients from one loopback address)
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("CIVICLOOP_HOME", Path.cwd()))
VAR_DIR = Path(os.environ.get("CIVICLOOP_VAR", BASE_DIR / "var"))


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("DEBUG", False)

# ---- Security from the environment (issue 21; docs/decisions.md "production switch and CSP") -------------------
# One switch, CIVICLOOP_ENV, chooses the defaults; every setting below can still be set on its own. Development
# (the default, so `make demo` and `make test` run on a fresh machine with nothing set) allows the built-in key
# and plain HTTP. Production refuses to start without its own SECRET_KEY and ALLOWED_HOSTS, and turns on HTTPS
# redirect, HSTS and Secure cookies; README.md "Production" lists an environment `check --deploy` passes clean.
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

DEV_SECRET_KEY = "civicloop-insecure-dev-key"
CIVICLOOP_ENV = os.environ.get("CIVICLOOP_ENV", "production" if _env_bool("CIVICLOOP_PRODUCTION") else "development")
if CIVICLOOP_ENV not in {"development", "production"}:
    # A typo ("prod") must not fall back to the permissive mode.
    raise ImproperlyConfigured(f"CIVICLOOP_ENV must be 'development' or 'production', not {CIVICLOOP_ENV!r}")
PRODUCTION = CIVICLOOP_ENV == "production"
if PRODUCTION and DEBUG:
    # Debug pages show settings, SQL and local variables: residents' personal data must not reach them.
    raise ImproperlyConfigured("DEBUG must be off when CIVICLOOP_ENV=production")


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "").strip() or (None if PRODUCTION else DEV_SECRET_KEY)
if PRODUCTION and SECRET_KEY in {None, DEV_SECRET_KEY}:
    raise ImproperlyConfigured(
        "CIVICLOOP_ENV=production needs its own SECRET_KEY (not the built-in development key); generate one with "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("CIVICLOOP_ENV=production needs ALLOWED_HOSTS (comma separated host names)")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")  # e.g. https://civicloop.example.gov.cn
SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600) if PRODUCTION else "0"))
# Both widen HSTS beyond this host: off unless the operator owns the parent domain (README.md "Production").
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = _env_bool("CSRF_COOKIE_SECURE", PRODUCTION)
# Behind a TLS-terminating proxy (HAProxy) that sets the header on every request and strips it from clients:
# SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto (the value meaning HTTPS is "https"). Unset: no proxy is trusted.
if os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip():
    _proxy_header = os.environ["SECURE_PROXY_SSL_HEADER"].strip()
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
SECURE_REFERRER_POLICY = os.environ.get("SECURE_REFERRER_POLICY", "same-origin")
SECURE_CONTENT_TYPE_NOSNIFF = True  # X-Content-Type-Options: nosniff, in every mode
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts only from our own static files — no inline script, no eval, no
# CDN. Styles allow 'unsafe-inline' for `style=` attributes (the issue allows it; scripts must not). Bootstrap's
# icons are data: SVGs. CSP_REPORT_ONLY=1 sends the same policy as Content-Security-Policy-Report-Only.
from csp.constants import NONE, SELF, UNSAFE_INLINE  # noqa: E402

_csp = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if _env_bool("CSP_REPORT_ONLY"):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _csp
else:
    CONTENT_SECURITY_POLICY = _csp
# ---- end of security from the environment ------------------------------------------------------------------------
PORT = int(os.environ.get("PORT", "8000"))

INSTALLED_APPS = [
    "civicloop.core.admin_config.CivicAdminConfig",  # django.contrib.admin, every change audited (core/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # API docs from our own static files: the CDN variant needs an inline script the CSP refuses
    # Before our apps: its signal receivers run first, so an audit receiver sees whether axes locked the request.
    "civicloop.core.library_apps.AxesConfig",  # axes, its admin section named in Chinese
    "django_tasks",
    "civicloop.core.library_apps.TasksDatabaseConfig",  # django_tasks_db, likewise
    "civicloop.core",
    "civicloop.places",
    "civicloop.orgs",
    "civicloop.workdays",
    "civicloop.imports",
    "civicloop.files",
    "civicloop.cases",
    "civicloop.visits",
    "civicloop.portal",
    "civicloop.dashboard",
    "civicloop.apikeys",  # keys for other systems (Open311 clients, the 12345 platform)
    "civicloop.open311",  # Open311 GeoReport v2 at /open311/v2/
    "civicloop.hotline",
    "civicloop.assess",  # reads the dashboard's metrics
    "civicloop.plans",  # plans, tasks, 三书: reads assess (letters), cases (links)
    "civicloop.meetings",  # 工作例会: reads plans and cases, writes to them only through their services
    "civicloop.signs",  # sensors → alarms → cases (channel sensor)
    "civicloop.routing",  # routing suggestions (category, lead unit) and jurisdiction disputes: reads cases, dispatches through them
    "civicloop.volunteers",  # 双报到: volunteers and reporting party members, needs, hours (orgs' people records)
    "civicloop.hall",  # 议事厅 and 微规约: household votes → cases, plan tasks, conventions (through their services)
    "civicloop.dupes",  # near-duplicate cases across channels: reads cases, merges through their service
    "civicloop.demo",
    "civicloop.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy (security block above)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "civicloop.web.middleware.LocaleMiddleware",  # zh-Hans unless switched; the API also honours Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "civicloop.orgs.sessions.SessionTimeoutMiddleware",  # idle and absolute session limits
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "civicloop.core.middleware.CivicInputMiddleware",  # the input layer: size, NUL (decision XX)
    "civicloop.core.middleware.CivicErrorMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as axes asks: turns a locked login into our page
]

ROOT_URLCONF = "civicloop.urls"
WSGI_APPLICATION = "civicloop.wsgi.application"

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
                "civicloop.web.context.navigation",
            ],
        },
    }
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'civicloop.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation pays off for long analytic queries, not for the short ones of a web request: an inbox
    # count over a large backlog spent as long compiling as running (docs/decisions.md, decision 23).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers (the web server) and one writer (the task worker) work at once. journal_size_limit: when
    # the log starts over, its file is cut back to 64 MiB instead of keeping its largest size (the periodic
    # `core.tasks.wal_checkpoint` makes it start over under load too).
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                        "PRAGMA journal_size_limit=67108864;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get("CIVICLOOP_TEST_SQLITE") or None

# "visits": a team's field list body and a campaign's coverage figures per viewer's view and language, with the
# version they were built at (visits.field_list_cache, decision 67's plan): files shared by gunicorn's workers, one
# entry per list or overview, view and language (a new version overwrites it); a day unread, dropped when next met.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "visits": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
               "LOCATION": str(VAR_DIR / "cache" / "visits"), "TIMEOUT": 24 * 3600, "OPTIONS": {"MAX_ENTRIES": 5000}},
}

# ---- Several app servers (issue 20; docs/scaling.md, `civicloop cluster up`) ---------------------------------------
# DATABASE_REPLICA_URL  a streaming replica of DATABASE_URL: the listed read-only views read from it (core.dbrouter)
#                       while it is reachable and at most CIVICLOOP_REPLICA_MAX_LAG seconds behind (default 5)
# CIVICLOOP_REDIS_URL   Redis: the default cache (shared by every app server: the scheduler's lock) and, with
#                       CIVICLOOP_TASKS_BACKEND=django_tasks_rq.RQBackend, the task queue (workers: `civicloop rqworker`)
CIVICLOOP_REPLICA_MAX_LAG = float(os.environ.get("CIVICLOOP_REPLICA_MAX_LAG", "5"))
CIVICLOOP_REPLICA_CHECK_SECONDS = float(os.environ.get("CIVICLOOP_REPLICA_CHECK_SECONDS", "2"))
CIVICLOOP_REPLICA_PIN_SECONDS = float(os.environ.get("CIVICLOOP_REPLICA_PIN_SECONDS", "10"))
# Read-only views whose figures may be seconds old: the dashboard, its reports and exports ("namespace:name" or
# "namespace:*", GET/HEAD only). Never the inbox or a case page: they are read right after a write.
CIVICLOOP_REPLICA_VIEWS = [
    "dashboard:*", "api:overview", "api:drill_cases", "api:dashboard_map", "api:kpi_definitions",
    "api:weekly_report", "api:weekly_report_xlsx", "api:weekly_report_pdf", "hotline:export",
    "assess:run_print", "assess:run_xlsx", "assess:set_xlsx", "assess:run_compare",
]
if os.environ.get("DATABASE_REPLICA_URL", "").strip():
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"].strip(), conn_max_age=DATABASES["default"].get("CONN_MAX_AGE", 0),
        conn_health_checks=True)
    # a replica that does not answer within 2 s is taken as down (reads fall back), not waited for
    DATABASES["replica"]["OPTIONS"] = {"options": "-c jit=off", "connect_timeout": 2}
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["civicloop.core.dbrouter.ReplicaRouter"]
    MIDDLEWARE.append("civicloop.core.dbrouter.ReplicaReadsMiddleware")  # last: after every other process_view
REDIS_URL = os.environ.get("CIVICLOOP_REDIS_URL", "").strip()
if REDIS_URL:
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                         "KEY_PREFIX": "civicloop"}
if os.environ.get("CIVICLOOP_TASKS_BACKEND", "") == "django_tasks_rq.RQBackend":
    if not REDIS_URL:
        raise ImproperlyConfigured("CIVICLOOP_TASKS_BACKEND=django_tasks_rq.RQBackend needs CIVICLOOP_REDIS_URL")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    # core.rq.RetryingQueue: a job whose worker died mid-task is run again (every task is idempotent)
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": int(os.environ.get("CIVICLOOP_TASK_TIMEOUT", "900")),
                             "QUEUE_CLASS": "civicloop.core.rq.RetryingQueue"}}
    RQ_SHOW_ADMIN_LINK = False
# ---- end of several app servers -----------------------------------------------------------------------------------

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) are for PostgreSQL, where the coverage counts read only the index (visits.Subject);
# SQLite keeps the key columns and ignores the rest, which is all the embedded default needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
AUTH_USER_MODEL = "orgs.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Applied wherever a password is set through a form or a command (admin, changepassword, createsuperuser); the
# demo and test accounts are written with a hash directly and keep their documented passwords.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "civicloop.orgs.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("username", "display_name", "email", "phone")}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns at start-up when it is missing (before collectstatic)
STATICFILES_DIRS = [PACKAGE_DIR / "static"] if (PACKAGE_DIR / "static").exists() else []

TASKS = {
    "default": {
        "BACKEND": os.environ.get("CIVICLOOP_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

SESSION_COOKIE_HTTPONLY = True
AUTHENTICATION_BACKENDS = [
    "civicloop.orgs.auth.LoginThrottle",  # django-axes: refuses a locked account or address before any check
    "civicloop.orgs.auth.Backend",  # ModelBackend + unit, places, roles in one statement
]
SESSION_ENGINE = "civicloop.orgs.sessions"  # the database store, read without an ORM compile (decision 30)
# Idle and absolute limits, enforced by orgs.sessions.SessionTimeoutMiddleware; the cookie and the stored
# session also end at the absolute limit, so neither outlives it.
SESSION_IDLE_SECONDS = int(float(os.environ.get("CIVICLOOP_SESSION_IDLE_MINUTES", "30")) * 60)
SESSION_COOKIE_AGE = int(float(os.environ.get("CIVICLOOP_SESSION_MAX_HOURS", "12")) * 3600)

# Login throttling (django-axes). A lockout holds for the cool-off or until an administrator unlocks
# (`civicloop axes_reset_username <login>`, or delete the attempt in the admin's "Access attempts").
AXES_FAILURE_LIMIT = int(os.environ.get("CIVICLOOP_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=float(os.environ.get("CIVICLOOP_LOGIN_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [
    [p.strip() for p in group.split("+")] if "+" in group else group.strip()
    for group in os.environ.get("CIVICLOOP_LOGIN_LOCKOUT_BY", "username,ip_address").split(",") if group.strip()
]
AXES_RESET_ON_SUCCESS = True  # a successful login clears that account's and address's failures
AXES_CLIENT_IP_CALLABLE = "civicloop.orgs.auth.client_ip"  # the audit log uses the same address
AXES_LOCKOUT_CALLABLE = "civicloop.web.views.login_locked"  # our login page with the message, not axes' page
AXES_DISABLE_ACCESS_LOG = True  # logins and logouts go to core.AuditLog; axes keeps only the failure counts
AXES_VERBOSE = False
PROXY_COUNT = int(os.environ.get("CIVICLOOP_PROXY_COUNT", "0"))
RATE_LIMIT_SCALE = float(os.environ.get("CIVICLOOP_RATE_LIMIT_SCALE", "1"))
if RATE_LIMIT_SCALE <= 0:
    raise ImproperlyConfigured("CIVICLOOP_RATE_LIMIT_SCALE must be positive")

# Unmasking personal data and the two logs (issue 21; docs/decisions.md "unmask reasons, rate limit, append-only
# logs"). Every unmasked view counts against its user's limit of the last hour. The unmask log and the audit log
# keep every row at least LOG_RETENTION_DAYS (six months at the least: smaller is refused here); older rows go
# only when an operator runs `civicloop log_purge`.
UNMASK_LIMIT_PER_HOUR = int(os.environ.get("CIVICLOOP_UNMASK_PER_HOUR", "30"))
LOG_RETENTION_DAYS = int(os.environ.get("CIVICLOOP_LOG_RETENTION_DAYS", "180"))
if LOG_RETENTION_DAYS < 180:  # core.constants.RETENTION_MIN_DAYS, which the PostgreSQL trigger enforces too
    raise ImproperlyConfigured("CIVICLOOP_LOG_RETENTION_DAYS must be at least 180 (six months)")
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag; keep default-safe elsewhere
X_FRAME_OPTIONS = "DENY"

# Request bodies (the input layer, civicloop.core.input): Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) for anything
# but a file upload; an uploaded file (imports, page and API alike) up to this many bytes.
CIVICLOOP_MAX_UPLOAD_BYTES = int(float(os.environ.get("CIVICLOOP_MAX_UPLOAD_MB", "50")) * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # no full phone or ID number in any log line (request paths carry searches): core.log_masking
    "filters": {"mask_numbers": {"()": "civicloop.core.log_masking.MaskNumbersFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_numbers"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

CIVICLOOP = {
    # Share of the time limit after which a case turns yellow (临期).
    "YELLOW_SHARE": 0.8,
    "DEMO_PASSWORD": os.environ.get("CIVICLOOP_DEMO_PASSWORD", "civicloop2026"),
    # The CJK font the weekly report's PDF is set in (a .ttf/.ttc file); empty: Debian's fonts-wqy-microhei,
    # which scripts/fonts.sh installs for `make install` / `make demo` / `make test` (dashboard/report_render.py).
    "REPORT_FONT": os.environ.get("CIVICLOOP_REPORT_FONT", ""),
}

APP_TITLE = _("民情闭环")
