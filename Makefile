# The few verbs people type. `make demo` starts everything on embedded defaults.
PY ?= .venv/bin/python
# Procfile lines and test subprocesses say `python`, `gunicorn`: the project's own.
export PATH := $(CURDIR)/.venv/bin:$(PATH)
VENV_STAMP := .venv/.installed

.PHONY: install demo seed-con-cuong migrate test test-unit lint bench stop translations

$(VENV_STAMP): pyproject.toml
	python3 -m venv .venv
	.venv/bin/pip install --quiet --upgrade pip
	.venv/bin/pip install --quiet -e ".[dev]"
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
