"""gunicorn settings of the web service (issue 20): uvicorn's ASGI workers on govhall.asgi.

    gunicorn -c deploy/gunicorn.conf.py govhall.asgi:application

Used by deploy/systemd/govhall-web.service and by scripts/prod-stack. Each value may be set in
the environment (the same file as the application's, /etc/govhall/govhall.env):

- GOVHALL_WEB_BIND: where nginx reaches the application (default unix:/run/govhall/web.sock;
  a TCP address such as 127.0.0.1:8000 works too).
- GOVHALL_WEB_WORKERS: worker processes (default: one per core). Each worker is an event loop:
  the screens' streams wait in it without holding a thread each.
- GOVHALL_WEB_TIMEOUT: seconds a worker may be silent before it is restarted (default 60).
- GOVHALL_WEB_MAX_REQUESTS: a worker is replaced after this many requests (default 20000,
  0: never), which bounds slow leaks; open streams reconnect by themselves.
"""

import multiprocessing
import os

bind = [os.environ.get("GOVHALL_WEB_BIND", "unix:/run/govhall/web.sock")]
workers = int(os.environ.get("GOVHALL_WEB_WORKERS", "0")) or multiprocessing.cpu_count()
worker_class = "uvicorn_worker.UvicornWorker"
timeout = int(os.environ.get("GOVHALL_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("GOVHALL_WEB_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# The socket is the group's (nginx's user is added to the service's group): rw for them only.
umask = 0o007
# Only nginx talks to the application: trust its X-Forwarded-For / X-Forwarded-Proto. Over a
# unix socket the peer has no address, so "*" (nobody else can reach the socket).
forwarded_allow_ips = os.environ.get(
    "GOVHALL_WEB_FORWARDED_ALLOW_IPS",
    "*" if bind[0].startswith("unix:") else "127.0.0.1,::1",
)
# Logs go to standard output and error: journald (systemd) or the stack's log files.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GOVHALL_WEB_LOG_LEVEL", "info")
proc_name = "govhall-web"
