"""The test settings with the example app installed: the one line an app adds."""

from itfabrik.config.settings.test import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "plugin_example"]  # noqa: F405
