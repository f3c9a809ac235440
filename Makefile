# `make test` and `make up` each set up .venv from requirements.txt and the Pulumi CLI (`make pulumi`) first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: test up down pulumi emulator bench clean venv fuzz

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

venv: $(STAMP)

# The end-to-end suite (tests/e2e) drives the real CLI that `make pulumi` provides; without Go or a `pulumi`,
# it is skipped with the reason and the rest still runs.
test: $(STAMP)
	@out="$$(bash tools/pulumi_cli/ensure.sh)" && cli="$$(printf '%s\n' "$$out" | tail -n1)" || cli=""; \
	PULUMI_CLI="$$cli" $(PY) -m pytest

# `make fuzz`: the emulator's fuzz suite with many more cases than `make test` runs (FUZZ_PROFILE=long, about
# 25 times the CI cases), seeded by FUZZ_SEED (a new seed each run unless given); it prints the cases and seed.
FUZZ_SEED ?= $(shell date +%s)

fuzz: $(STAMP)
	FUZZ_PROFILE=long FUZZ_SEED=$(FUZZ_SEED) $(PY) -m pytest -q -p no:cacheprovider --timeout=3600 tests/emulator/fuzz

emulator: $(STAMP)
	$(PY) -m emulator

bench: $(STAMP)
	for b in bench/bench_*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf .emulator .pytest_cache

# `make pulumi`: the Pulumi CLI (on PATH at or above the pinned version, else built from Go modules into the
# git-ignored .pulumi-cli/); its last line is the absolute path of that `pulumi`.
pulumi:
	@bash tools/pulumi_cli/ensure.sh

# `make up` / `make down`: plain `pulumi up` / `pulumi destroy` of the `local` stack (stacks/Pulumi.local.yaml)
# against the emulator on 127.0.0.1:$(EMULATOR_PORT) (SQLite, pid file and log under .emulator/), with the CLI's
# folder first on PATH, state in .pulumi-state/ (file:// backend), passphrase `local`, PULUMI_HOME in
# .pulumi-cli/home. Another port: `make up EMULATOR_PORT=8081`; the stack's endpoints follow it through a copy of
# the stack file in .emulator/ (`--config-file`), and `make down` uses the port `make up` last used.
# The CLI is made ready first, so a missing CLI leaves nothing running.
EMULATOR_PORT ?= $(or $(shell cat .emulator/port 2>/dev/null),8080)
CLI = out="$$(bash tools/pulumi_cli/ensure.sh)" || exit 1; cli="$$(printf '%s\n' "$$out" | tail -n1)"
LOCAL = export PATH="$$(dirname "$$cli"):$$PATH" \
	PULUMI_BACKEND_URL="file://$(CURDIR)/.pulumi-state" PULUMI_CONFIG_PASSPHRASE=local \
	PULUMI_HOME="$(CURDIR)/.pulumi-cli/home" PULUMI_SKIP_UPDATE_CHECK=true \
	PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true; mkdir -p .pulumi-state .emulator; \
	if [ "$(EMULATOR_PORT)" = 8080 ]; then config=""; else \
	  sed 's/127\.0\.0\.1:8080/127.0.0.1:$(EMULATOR_PORT)/g' stacks/Pulumi.local.yaml > .emulator/Pulumi.local.yaml; \
	  config="--config-file .emulator/Pulumi.local.yaml"; fi

up: $(STAMP)
	@$(CLI); $(LOCAL); \
	$(PY) -m tools.local_emulator start --port $(EMULATOR_PORT) && echo $(EMULATOR_PORT) > .emulator/port && \
	pulumi stack select --create local --non-interactive && \
	pulumi up --yes --stack local --non-interactive $$config

down: $(STAMP)
	@if [ -d .pulumi-state/.pulumi/stacks ]; then \
	  $(CLI); $(LOCAL); $(PY) -m tools.local_emulator start --port $(EMULATOR_PORT) >/dev/null && \
	  pulumi destroy --yes --stack local --non-interactive $$config || exit 1; \
	else \
	  echo "make down: no local stack state; only stopping the emulator."; \
	fi
	@$(PY) -m tools.local_emulator stop
	@rm -f .emulator/port
