"""Settings for the benchmarks: csafe's own, plus one route (the framework floor, benchmarks.urls)
and nothing debug-only switched on, so that what is timed is what a production request costs."""

import warnings

from csafe.settings import *  # noqa: F403
from csafe.settings import ALLOWED_HOSTS

ROOT_URLCONF = "benchmarks.urls"
DEBUG = False
# csafe.settings ties this to DEBUG; while on, whitenoise looks every request's path up among the
# static files, a cost no production request pays.
WHITENOISE_AUTOREFRESH = False
# The test client's host, whatever ALLOWED_HOSTS the environment gives.
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
# Static files are served from their source folders (WHITENOISE_USE_FINDERS), so there is no
# collected folder for whitenoise to warn about; pyproject.toml silences the same for the tests.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
