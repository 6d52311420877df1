# The two commands in README.md: `make demo` and `make test`. Each does all set-up itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= demo.db
DEMO_PORT ?= 8501
# DEMO_CHECK=1: build, start the dashboard, load its login page in Chromium, stop (CI runs this).
DEMO_CHECK ?=

.PHONY: demo test install install-dev chromium postgres clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files make re-runs fast but reinstall when pyproject.toml changes.
$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Browser tests and evidence screenshots use Debian's Chromium through Playwright (no browser
# download). Installed here so a fresh machine needs nothing by hand.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

# The PostgreSQL tests start a throwaway cluster of their own (tests/pgserver.py) from Debian's
# server binaries; installed here when missing. Debian's own "main" cluster is not needed.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO mkdir -p /etc/postgresql-common && \
	  { [ -e /etc/postgresql-common/createcluster.conf ] || echo "create_main_cluster = false" | $$SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null; } && \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq -o Dpkg::Options::=--force-confold postgresql >/dev/null; }

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: $(VENV)/.installed chromium
	$(BIN)/netra --db $(DEMO_DB) demo --port $(DEMO_PORT) $(if $(DEMO_CHECK),--check)

test: $(VENV)/.installed-dev chromium postgres
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
