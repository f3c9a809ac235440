# `make test` and `make up` each set up .venv from requirements.txt first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: test up down emulator bench clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

venv: $(STAMP)

test: $(STAMP)
	$(PY) -m pytest

emulator: $(STAMP)
	$(PY) -m emulator

bench: $(STAMP)
	for b in bench/bench_*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf .emulator .pytest_cache

# `make up` / `make down` (sources helper): the `local` stack (stacks/Pulumi.local.yaml) against the emulator on
# 127.0.0.1:8080 (SQLite, pid file and log under .emulator/), Pulumi state in .pulumi-state/ (file:// backend),
# and the local stack's passphrase. The CLI is checked first, so a missing CLI leaves nothing running.
LOCAL_PULUMI := PULUMI_BACKEND_URL=file://$(CURDIR)/.pulumi-state PULUMI_CONFIG_PASSPHRASE=local \
	PULUMI_SKIP_UPDATE_CHECK=true

up: $(STAMP)
	@command -v pulumi >/dev/null 2>&1 || { \
	  echo "make up: the Pulumi CLI is not installed (no 'pulumi' on PATH)."; \
	  echo "  Install it:  curl -fsSL https://get.pulumi.com | sh    (macOS: brew install pulumi/tap/pulumi)"; \
	  echo "  then add \$$HOME/.pulumi/bin to PATH and run 'make up' again."; \
	  echo "  Without the CLI, 'make test' runs this program against the emulator through the test harness."; \
	  exit 1; }
	$(PY) -m tools.local_emulator start --port 8080
	mkdir -p .pulumi-state
	$(LOCAL_PULUMI) pulumi stack select --create local
	$(LOCAL_PULUMI) pulumi up --stack local --yes

down: $(STAMP)
	@if command -v pulumi >/dev/null 2>&1 && [ -d .pulumi-state ]; then \
	  $(LOCAL_PULUMI) pulumi destroy --stack local --yes || exit 1; \
	else \
	  echo "make down: no Pulumi CLI or no local state; only stopping the emulator."; \
	fi
	$(PY) -m tools.local_emulator stop
