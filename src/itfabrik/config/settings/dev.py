"""Local development and the demo: DEBUG on, demo mode on unless said otherwise."""

import os

os.environ.setdefault("ITFABRIK_DEMO_MODE", "true")
os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: F403

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
