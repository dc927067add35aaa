# csafe: the two commands are `make run` and `make test`. Everything else is a step they share.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers for `make test`; the tests that commit (browser, real Celery workers,
# concurrency) all run on one of them, one after another (tests/conftest.py). 0: one process.
TEST_WORKERS ?= 2

.PHONY: run test setup python-deps frontend migrate demo lint format worker beat check-deploy clean scale-data bench loadtest

run: setup migrate demo ## Set up, load demo data and serve on http://127.0.0.1:8000
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: setup ## Set up and run the whole suite (PostgreSQL when DATABASE_URL is set)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n $(TEST_WORKERS)

setup: python-deps frontend

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

python-deps: $(VENV)/.installed

node_modules/.installed: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

csafe/static/build/.built: node_modules/.installed frontend/build.mjs
	npm run --silent build
	touch $@

frontend: csafe/static/build/.built

migrate: setup
	$(BIN)/python manage.py migrate --no-input

demo: migrate
	$(BIN)/python manage.py load_demo

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: ## A Celery worker (needs REDIS_URL)
	$(BIN)/celery -A csafe worker --loglevel=INFO

beat: ## Celery beat, for scheduled tasks (needs REDIS_URL)
	$(BIN)/celery -A csafe beat --loglevel=INFO

# Generated data at the size of a council (demo/scale): into a NEW PostgreSQL database.
SCALE ?= small
scale-data: migrate ## Fill DATABASE_URL with synthetic data at SCALE=small|medium|large
	$(BIN)/python manage.py load_scale_data --scale $(SCALE)

# Time pages, API endpoints and dashboard measures on the data DATABASE_URL already holds
# (benchmarks/run.py). BENCH_LABEL names the run and its JSON file.
BENCH_LABEL ?= local
BENCH_REPEAT ?= 30
bench: setup ## Benchmark the pages and measures against DATABASE_URL (fill it first)
	$(BIN)/python -m benchmarks.run --label $(BENCH_LABEL) --repeat $(BENCH_REPEAT) \
		--out benchmarks/results/$(BENCH_LABEL).json

# Locust against gunicorn on the PostgreSQL at DATABASE_URL (fill it first), on loopback, for a
# bounded time (benchmarks/loadtest/run.py; --help for the options). Results in var/loadtest/.
$(VENV)/.bench-installed: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

loadtest: python-deps $(VENV)/.bench-installed ## 50 users for 2 minutes; LOADTEST_ARGS=--smoke for 15 s
	$(BIN)/python -m benchmarks.loadtest.run $(LOADTEST_ARGS)

check-deploy:
	CSAFE_PROFILE=production SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=csafe.example \
		REDIS_URL=redis://127.0.0.1:6379/0 \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules csafe/static/build staticfiles
