"""The project's settings with one extra URL: a bare view for scripts/bench_pages.py.

Used only by the benchmark (PYTHONPATH=scripts/bench_site, DJANGO_SETTINGS_MODULE=bench_settings),
never by the site itself.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
