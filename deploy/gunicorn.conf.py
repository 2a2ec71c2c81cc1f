"""Gunicorn settings for Baken's web process (docs/operations.md).

Used by deploy/systemd/baken-web.service: `gunicorn --config /etc/baken/gunicorn.conf.py
baken.wsgi`. Values come from the same environment file as Baken's own settings.
"""

import multiprocessing
import os

bind = os.environ.get("BAKEN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("BAKEN_WEB_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8)))
worker_class = "sync"
# An export or a dashboard refresh too big for a page goes to the tasks worker; a request
# that still takes this long is stuck.
timeout = int(os.environ.get("BAKEN_WEB_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (a bound on any slow leak), with jitter so they do not all
# restart at once. Not often: a restarting worker loads the app and every view before it
# serves again (post_worker_init), and its requests wait meanwhile. At 2,000 each of four
# workers restarted every ~30 s under intake at 250 reports/s, and the p95 at 16 clients
# went from 96 to 219 ms (issue 18).
max_requests = 20_000
max_requests_jitter = 2_000
# Each worker loads the app itself, so a reload (SIGHUP) picks up new code.
preload_app = False

# Python's cyclic garbage collector: left at its defaults, a worker ran a full (oldest
# generation) collection every 80 or so work pages, walking every object the loaded app holds
# (about 250,000), and that request took 100-500 ms more: the slow tail of the work pages
# (issue 18; measured with gc.callbacks around in-process requests). After the app and every
# view are loaded, what is loaded is frozen out of the collector's reach (it lives as long as
# the worker anyway), and the youngest generation is collected less often: a request makes
# few cycles, and a worker is recycled after max_requests.
GC_THRESHOLDS = (50_000, 20, 100)


def post_worker_init(worker):
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (imports every app's views now, not at a request)
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


# The TLS proxy in front sets X-Forwarded-Proto; trust it only from the proxy's address.
forwarded_allow_ips = os.environ.get("BAKEN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# No access log: gunicorn's names the client's address and the query string (a search for a
# name), and the Meldpunt promises reporters that their address is not kept (ADR 0006).
# Baken logs each request itself without them (logger baken.request, core/logs.py).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("BAKEN_LOG_LEVEL", "warning").lower()

if os.environ.get("BAKEN_LOG_FORMAT") == "json":
    # Gunicorn's own lines (start, stop, a worker timing out) as JSON lines too.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "baken.core.logs.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "gunicorn.error": {
                "handlers": ["console"],
                "level": loglevel.upper(),
                "propagate": False,
            },
        },
    }
