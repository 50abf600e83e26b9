"""The project around the domain: settings, URLs, the WSGI and ASGI entry points, gunicorn's
configuration, logging, and the local development secrets."""
