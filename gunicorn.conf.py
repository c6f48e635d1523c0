"""gunicorn's settings for `make serve`, from the environment (docs: gunicorn.org, "Settings").

WEB_CONCURRENCY  worker processes (default 2). More than one needs the rate limits in Redis
                 (RATELIMIT_STORAGE_URI): production refuses memory:// unless it is 1.
BIND             where to listen (default 127.0.0.1:8000): behind the TLS proxy, on this
                 machine only. Set PROXY_COUNT for the proxy (app/config.py).
"""

import os
from typing import Any

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Sync workers: every request is short (no streaming, no long polling); the proxy buffers
# slow clients, so a phone on a poor connection does not hold a worker.
worker_class = "sync"
# WEB_THREADS above 1: each worker serves that many requests at once in threads (gthread). On
# a quiet 2-core machine it was slower (issue 15: 4 threads, whole journeys 17.6 a second against
# 22.2 with sync workers, sends 331 against 395); it helped only on a machine already loaded.
threads = int(os.environ.get("WEB_THREADS", "1"))
if threads > 1:
    worker_class = "gthread"
# A request taking 30 s is stuck (the final send takes milliseconds): kill and replace it.
timeout = 30
# On SIGTERM, let requests in flight finish (a child's send is acknowledged or not made).
graceful_timeout = 30
keepalive = 5
# Replace each worker after about ten thousand requests, staggered, so a slow leak cannot grow.
# A new worker is born warm (when_ready below) but is still forked, copies the pages it writes
# to, and makes its own kept pages, compiled SQL and database connections: about 230 ms of CPU
# each time under whole journeys (issue 15: replaced every 200 requests, 4.7 ms a request
# against 3.6 never replaced), so every thousand requests spent some 6% of a loaded server.
max_requests = 10000
max_requests_jitter = 1000
# Build the app once, before forking: a setting production refuses stops gunicorn at once
# with the app's own message, rather than each worker failing to boot in turn.
preload_app = True
# The heartbeat file in memory, not on a disk that may stall (containers mount /tmp on overlay).
# (gunicorn makes its file there with mkstemp: private to the server.)
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
# ProxyFix in the app (PROXY_COUNT) is the one place forwarded headers are believed.
forwarded_allow_ips = ""
secure_scheme_headers: dict[str, str] = {}
# No access log: every line would hold a child's address. Errors go to stderr (the journal).
accesslog = None
errorlog = "-"
# gunicorn's control socket (`gunicornc`) sits at one path per user by default, which two
# servers on one machine (two councils, or an old and a new release) would fight over; the
# service is managed by signals and systemd instead.
control_socket_disable = True


def when_ready(server: Any) -> None:  # gunicorn's hook: in the master, before the first fork
    """Warm the preloaded app once, so every worker, and every replacement, is born warm
    (app/warming.py): a cold worker cost /healthz and the promise pages a third of their
    throughput (issue 15)."""
    if server.cfg.preload_app:
        from app import warming  # the app's own module, once the app is loaded

        warming.warm(server.app.wsgi())
