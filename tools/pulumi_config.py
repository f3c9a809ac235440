"""A stack's configuration as the Pulumi CLI hands it to the program, without the CLI.

Mirrors `ValidateStackConfigAndApplyProjectConfig` (sdk/go/common/workspace): keys without a namespace belong to
the project; a declared key missing from the stack takes its `default`, or is reported missing; a declared
`secret: true` key must be `secure:` in the stack file; declared types are checked. `secure:` values, also
nested inside objects, are decrypted with the passphrase (tools/stack_secrets.py). The result is what
`PULUMI_CONFIG` carries: every value a string, objects as JSON; plus the keys holding a secret.

    python -m tools.pulumi_config local      # prints the resolved config keys, secrets masked
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import yaml

from tools.stack_secrets import PassphraseCrypter, StackSecretsError

ROOT = Path(__file__).resolve().parent.parent


class StackConfigError(ValueError):
    """The stack's config does not satisfy the project's declarations (the CLI would refuse it too)."""


@dataclass(frozen=True)
class StackConfig:
    project: str
    stack: str
    values: dict[str, str]
    secret_keys: frozenset[str]

    def masked(self) -> dict[str, str]:
        return {k: ("[secret]" if k in self.secret_keys else v) for k, v in sorted(self.values.items())}


def _full_key(project: str, key: str) -> str:
    return key if ":" in key else f"{project}:{key}"


def _as_config_string(value: Any) -> str:
    """How the CLI stores a value: scalars via Go's %v (booleans lowercase), structures as JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def _is_secure(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"secure"}


def _contains_secure(value: Any) -> bool:
    if _is_secure(value):
        return True
    if isinstance(value, dict):
        return any(_contains_secure(v) for v in value.values())
    if isinstance(value, list):
        return any(_contains_secure(v) for v in value)
    return False


def _decrypt(value: Any, crypter: Optional[PassphraseCrypter], key: str) -> Any:
    if _is_secure(value):
        if crypter is None:
            raise StackConfigError(f"{key} is a secure value; set PULUMI_CONFIG_PASSPHRASE to decrypt it")
        return crypter.decrypt(str(value["secure"]))
    if isinstance(value, dict):
        return {k: _decrypt(v, crypter, key) for k, v in value.items()}
    if isinstance(value, list):
        return [_decrypt(v, crypter, key) for v in value]
    return value


def _type_ok(type_name: str, value: Any) -> bool:
    if type_name == "string":
        return isinstance(value, str)
    if type_name == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or str(value).lstrip("-").isdigit()
    if type_name == "boolean":
        return isinstance(value, bool) or value in ("true", "false")
    return isinstance(value, list)


def load_stack_config(
    stack: str,
    *,
    passphrase: Optional[str] = None,
    root: Path = ROOT,
    overrides: Optional[dict[str, Any]] = None,
) -> StackConfig:
    """Resolve stacks/Pulumi.<stack>.yaml against Pulumi.yaml. `overrides` replace stack values (None removes)."""
    project_file = yaml.safe_load((root / "Pulumi.yaml").read_text())
    project = project_file["name"]
    stack_path = root / project_file.get("stackConfigDir", ".") / f"Pulumi.{stack}.yaml"
    stack_file = yaml.safe_load(stack_path.read_text()) or {}
    raw = {_full_key(project, k): v for k, v in (stack_file.get("config") or {}).items()}
    for key, value in (overrides or {}).items():
        if value is None:
            raw.pop(_full_key(project, key), None)
        else:
            raw[_full_key(project, key)] = value

    crypter = None
    if any(_contains_secure(v) for v in raw.values()):
        if passphrase is None or not stack_file.get("encryptionsalt"):
            raise StackConfigError(f"stack {stack!r} has secure values: set PULUMI_CONFIG_PASSPHRASE")
        try:
            crypter = PassphraseCrypter(passphrase, stack_file["encryptionsalt"])
        except StackSecretsError as err:
            raise StackConfigError(f"stack {stack!r}: {err}") from None

    missing = []
    for key, declared in sorted((project_file.get("config") or {}).items()):
        full = _full_key(project, key)
        declared = declared if isinstance(declared, dict) else {"default": declared}
        if full not in raw:
            if "default" in declared or "value" in declared:
                raw[full] = declared.get("default", declared.get("value"))
            elif full.startswith(f"{project}:"):
                missing.append(key)
            continue
        if declared.get("secret") and not _is_secure(raw[full]):
            raise StackConfigError(f"Stack '{stack}' with configuration key '{key}' must be encrypted as it's secret")
        if "type" in declared and not _type_ok(declared["type"], _decrypt(raw[full], crypter, full)):
            raise StackConfigError(f"Stack '{stack}' with configuration key '{key}' must be of type '{declared['type']}'")
    if missing:
        raise StackConfigError(f"Stack '{stack}' is missing configuration value(s) {', '.join(missing)}")

    values = {key: _as_config_string(_decrypt(value, crypter, key)) for key, value in raw.items()}
    secret_keys = frozenset(key for key, value in raw.items() if _contains_secure(value))
    return StackConfig(project, stack, values, secret_keys)


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1:
        print("usage: python -m tools.pulumi_config <stack>", file=sys.stderr)
        return 2
    try:
        config = load_stack_config(args[0], passphrase=os.environ.get("PULUMI_CONFIG_PASSPHRASE"))
    except StackConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for key, value in config.masked().items():
        print(f"{key} = {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
