"""A tiny app that plugs into itfabrik the way every domain app does, with no edit of core,
tenancy, accounts or the URL files: an action, a menu entry, a start-page panel, an API route
and a demo step. Installed only by `settings.py` beside it (see tests/test_plugin_example.py)."""
