import os

from django.core.asgi import get_asgi_application

# A server started without saying which settings gets production ones (DEBUG off, 2FA on),
# never the demo's. `itfabrik demo` sets the development settings explicitly.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itfabrik.config.settings.prod")
application = get_asgi_application()
