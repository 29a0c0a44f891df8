"""Production: DEBUG off, secure cookies, HSTS, a real secret required."""

import os

os.environ.setdefault("ITFABRIK_DEMO_MODE", "false")

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")  # no default: refuse to start without one
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_AGE = 8 * 3600
if not SECURE_HSTS_PRELOAD:
    # Preloading binds the whole municipal domain and every subdomain to HTTPS for good; that is
    # the domain owner's decision (SECURE_HSTS_PRELOAD=true), not a default of this application.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
