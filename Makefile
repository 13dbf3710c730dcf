# Convenience targets; everything goes through dev.py so a fresh machine needs only Python 3.11.
PY ?= python3
POSTGRES_URL ?= postgres://root@127.0.0.1:5432/netvaerk

.PHONY: bench-newsletter messages start test test-postgres test-browser lint format bench bench-search lock load-test

start:          ## site with demo content on the embedded default
	$(PY) dev.py start

test:           ## the whole suite on the embedded default (SQLite)
	$(PY) dev.py test

test-postgres:  ## the suite against PostgreSQL (Danish search, concurrency)
	DATABASE_URL=$(POSTGRES_URL) $(PY) dev.py test -m "not browser"

test-browser:   ## only the Playwright journeys
	$(PY) dev.py test -m browser

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

bench:          ## pages side by side with a baseline revision (BASELINE=rev), alternating in one run
	$(PY) dev.py manage help >/dev/null && .venv/bin/python scripts/bench_pages.py $(if $(BASELINE),--baseline $(BASELINE))

bench-search:   ## library search p50/p95 on SQLite and PostgreSQL (10k resources + 2k cases)
	$(PY) dev.py manage help >/dev/null && .venv/bin/python scripts/bench_search.py

load-test:      ## 60 s mixed load on loopback: gunicorn 2 workers, PostgreSQL netvaerk_load, Redis DB 14
	$(PY) dev.py manage help >/dev/null && .venv/bin/python scripts/load_test.py --seconds 60

lock:           ## re-pin dependencies after editing pyproject.toml
	.venv/bin/pip-compile -q --extra dev --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

messages:       ## refresh the English catalogue from the Danish source strings and compile it
	.venv/bin/python manage.py makemessages -l en --ignore=.venv --ignore=tests --ignore=scripts
	.venv/bin/python scripts/compile_messages.py

bench-newsletter: ## newsletter sending throughput to a local SMTP sink (10,000 subscribers)
	.venv/bin/python scripts/bench_newsletter.py --postgres
