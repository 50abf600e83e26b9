"""gunicorn settings for `make serve`: synchronous WSGI workers (Django's views run
2 to 5 times slower under ASGI here), several per machine, restarted after many requests so a
leak cannot grow, and a graceful shutdown: on SIGTERM each worker finishes its request within
`graceful_timeout` seconds. Overridden by GUNICORN_CMD_ARGS or the environment below."""

import multiprocessing
import os

bind = os.environ.get("HP_BIND", "127.0.0.1:8000")
# Four a core: the work is CPU-bound, but a booklet holds its worker for a second or two, and
# with more workers than cores the kernel shares the cores out, so a caseload or a passport
# page never waits behind one (bench/load.py: p99 of all requests 1.1 s with 4, 0.4 s with 8).
workers = int(os.environ.get("HP_WORKERS", str(max(2, multiprocessing.cpu_count() * 4))))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
max_requests = 2000
max_requests_jitter = 200
# Only the load balancers may tell gunicorn the client used HTTPS (never "*"): the same
# addresses the app trusts (HP_PROXY_ADDRESSES, passport.project.middleware.TrustedProxyMiddleware).
# With no proxy (HP_PROXY_COUNT=0) nobody is trusted, not even a neighbour on this machine.
forwarded_allow_ips = (os.environ.get("HP_PROXY_ADDRESSES", "127.0.0.1,::1")
                       if int(os.environ.get("HP_PROXY_COUNT", "0")) > 0 else "")
if "*" in forwarded_allow_ips:
    raise SystemExit("HP_PROXY_ADDRESSES must name the load balancers, never '*'.")
accesslog = "-"
# The path with every secret part hidden (an older invitation or share link, a password reset:
# passport/operations/access_log.py); no query strings.
logger_class = "passport.operations.access_log.AccessLogger"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
preload_app = True
# gunicorn 24+ opens a control socket in $HOME, one path for every server on the machine; two
# app servers side by side (or the fault tests' "two machines") would fight over it, and
# nothing here uses it.
control_socket_disable = True
