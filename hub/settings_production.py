"""A shared deployment behind HTTPS (see docs/hub.md): hub.settings plus secure transport.

Needs HUB_SECRET_KEY (50+ random characters), HUB_ALLOWED_HOSTS and HUB_DATABASE_URL (PostgreSQL).
The proxy in front (nginx, IIS, a load balancer) terminates TLS and sets X-Forwarded-Proto.
"""

import os

from hub.settings import *  # noqa: F403

DEBUG = False
if "HUB_SECRET_KEY" not in os.environ:
    raise RuntimeError("hub.settings_production needs HUB_SECRET_KEY (a long random string)")
SECRET_KEY = os.environ["HUB_SECRET_KEY"]

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_SAMESITE = "Strict"
SECURE_SSL_REDIRECT = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS]  # noqa: F405
