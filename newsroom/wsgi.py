"""
WSGI config for newsroom project.

It exposes the WSGI callable as a module-level variable named ``application``:
Django's, behind ``Replay``, which answers page-cache hits it has seen Django
answer before without calling Django again (``newsroom/replay.py``).

For more information on this file, see
https://docs.djangoproject.com/en/5.2/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

django_application = get_wsgi_application()

from newsroom.replay import Replay  # noqa: E402 (needs the settings and apps loaded)

application = Replay(django_application)
