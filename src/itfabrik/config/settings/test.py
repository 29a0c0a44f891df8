"""Test settings: fast hashing, in-memory mail, tasks run immediately unless a test says so."""

import os

os.environ.setdefault("ITFABRIK_DEMO_MODE", "false")
os.environ.setdefault("ITFABRIK_DATA_DIR", os.path.join("var", "test"))

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_USE_FINDERS = True
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Tests that exercise 2FA switch it on themselves.
REQUIRE_STAFF_2FA = False
ALLOWED_HOSTS = ["*"]
# The local-memory cache lives as long as the test process: tests that post many anonymous
# reports must not throttle each other. The throttling test sets its own limit.
ITFABRIK_REPORT_LIMIT = 10_000
ACCESSIBILITY_CONTACT_EMAIL = "tillganglighet@example.se"
# Test threads (the live server's, the concurrency tests') close what they open, so the test
# database can be dropped at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
