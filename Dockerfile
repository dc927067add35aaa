# syntax=docker/dockerfile:1
# The production image of csafe: gunicorn serving Django, with static files collected at build
# time and served by whitenoise. The same image runs the Celery worker and beat (see
# docker-compose.yml). Build with `docker build -t csafe .`.

# --- Stage 1: front-end assets ----------------------------------------------------------------
# GOV.UK Frontend and MOJ Frontend come from the npm registry; frontend/build.mjs copies them into
# csafe/static/build. Node is needed only here, so it never reaches the final image.
FROM node:20-slim AS frontend
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY frontend/ frontend/
RUN npm run --silent build

# --- Stage 2: the application -----------------------------------------------------------------
FROM python:3.12-slim AS app

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    CSAFE_PROFILE=production \
    CSAFE_VAR_DIR=/var/lib/csafe \
    CSAFE_MEDIA_ROOT=/var/lib/csafe/media \
    CSAFE_EXPORT_ROOT=/var/lib/csafe/exports

# An unprivileged account to run as. The code stays owned by root, so the running process cannot
# change it; the only place it may write is /var/lib/csafe (uploaded documents, exports).
RUN groupadd --system --gid 10001 csafe \
    && useradd --system --uid 10001 --gid csafe --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin csafe \
    && mkdir -p /var/lib/csafe/media /var/lib/csafe/exports \
    && chown -R csafe:csafe /var/lib/csafe

WORKDIR /app

# pyproject.toml sets `packages = []`: installing the project installs its dependencies and no
# code, and the source is copied in afterwards. Copying only these two files first (README.md is
# the package's long description) keeps this slow layer cached until the dependencies change.
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .
COPY --from=frontend /src/csafe/static/build csafe/static/build

# The production profile refuses to start without a SECRET_KEY. collectstatic needs settings but
# no secret, so it gets a throwaway one that exists only for this command and is not kept in the
# image; the real key is given at run time.
RUN SECRET_KEY=collectstatic-only-never-used-at-run-time REDIS_URL=redis://unused:6379/0 \
    python manage.py collectstatic --no-input

USER csafe
EXPOSE 8000

# /healthz answers 200 when the database and the broker are reachable. Django refuses hosts not in
# ALLOWED_HOSTS, so the probe presents the first allowed host rather than "localhost".
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["python", "-c", "import os, urllib.request as r; h = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.'); h = 'localhost' if h in ('', '*') else h; r.urlopen(r.Request('http://127.0.0.1:8000/healthz', headers={'Host': h}), timeout=8)"]

CMD ["gunicorn", "csafe.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", \
     "--access-logformat", "%(h)s %(t)s \"%(m)s %(U)s %(H)s\" %(s)s %(b)s %(M)s"]
