"""The ASGI application: what the production server runs (issue 20).

gunicorn starts uvicorn workers on it (deploy/systemd/govhall-web.service):

    gunicorn govhall.asgi:application -k uvicorn_worker.UvicornWorker

ASGI rather than WSGI because the hall's screens (display boards, rating screens, the big
screen) hold long server-sent event streams; govhall/wsgi.py stays for a plain WSGI server.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govhall.settings")
application = get_asgi_application()
