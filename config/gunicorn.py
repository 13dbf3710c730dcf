"""gunicorn settings; every value can be overridden by environment variables.

gunicorn -c config/gunicorn.py config.wsgi
"""

import json
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", os.environ.get("GUNICORN_WORKERS", "3")))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak never grows into an outage.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Load the app before forking: faster start, copy-on-write memory; database connections
# are opened lazily per worker, so nothing shared leaks across the fork.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() in {"1", "true", "yes"}
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# One JSON object per request. gunicorn substitutes the %(...)s atoms; json.dumps makes
# sure the template itself is valid JSON (values are quoted strings), and our logger class
# JSON-escapes the values. "peer" is the connecting address (the proxy, behind nginx),
# "client" the visitor as core.client_ip trusts it (TRUSTED_PROXY_COUNT); a client-written
# X-Forwarded-For is never logged as the client.
logger_class = "config.gunicorn_logging.AccessLogger"
access_log_format = json.dumps(
    {
        "time": "%(t)s",
        "peer": "%(peer)s",
        "client": "%(client)s",
        "method": "%(m)s",
        "path": "%(U)s",
        "query": "%(q)s",
        "status": "%(s)s",
        "bytes": "%(B)s",
        "duration_ms": "%(M)s",
        "referer": "%(f)s",
        "user_agent": "%(a)s",
        "logger": "gunicorn.access",
    }
)
