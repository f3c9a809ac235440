"""Pulumi's passphrase secrets manager in Python: read and write `secure:` values of a stack file.

Pulumi's scheme (pkg/secrets/passphrase, sdk/go/common/resource/config/crypt.go): the key is
PBKDF2-HMAC-SHA256(passphrase, salt, 1,000,000 iterations, 32 bytes); a value is AES-256-GCM with a random
12-byte nonce, written `v1:<base64 nonce>:<base64 ciphertext+tag>`. The stack file's `encryptionsalt` is
`v1:<base64 8-byte salt>:` followed by the encryption of the word "pulumi", which proves a passphrase right.

    python -m tools.stack_secrets salt                      # a new encryptionsalt (PULUMI_CONFIG_PASSPHRASE)
    python -m tools.stack_secrets encrypt --stack local     # reads the value on stdin, prints `secure: ...`

Lets `make up` and the tests use a local stack whose secrets are real `secure:` values without the CLI;
where the CLI exists, `pulumi config set --secret` produces the same format.
"""

from __future__ import annotations

import argparse
import base64
import functools
import hashlib
import os
import sys
from pathlib import Path

import yaml
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ITERATIONS = 1_000_000
STACKS_DIR = Path(__file__).resolve().parent.parent / "stacks"


class StackSecretsError(ValueError):
    """Wrong passphrase, or a malformed salt or secure value."""


@functools.lru_cache(maxsize=8)
def _key(passphrase: str, salt: bytes) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", passphrase.encode(), salt, ITERATIONS, dklen=32)


def _seal(key: bytes, plaintext: str) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode(), None)
    return f"v1:{base64.b64encode(nonce).decode()}:{base64.b64encode(sealed).decode()}"


def _open(key: bytes, ciphertext: str) -> str:
    parts = ciphertext.split(":")
    if len(parts) != 3 or parts[0] != "v1":
        raise StackSecretsError("a secure value must look like v1:<nonce>:<ciphertext>")
    try:
        nonce, sealed = base64.b64decode(parts[1], validate=True), base64.b64decode(parts[2], validate=True)
        return AESGCM(key).decrypt(nonce, sealed, None).decode()
    except (InvalidTag, ValueError):
        raise StackSecretsError("cannot decrypt: wrong passphrase or corrupted secure value") from None


class PassphraseCrypter:
    """Encrypts and decrypts one stack's secure values, checking the passphrase against its salt."""

    def __init__(self, passphrase: str, encryption_salt: str) -> None:
        parts = encryption_salt.split(":", 2)
        if len(parts) != 3 or parts[0] != "v1":
            raise StackSecretsError("encryptionsalt must look like v1:<salt>:v1:<nonce>:<ciphertext>")
        _, salt_b64, proof = parts
        self._key = _key(passphrase, base64.b64decode(salt_b64))
        try:
            ok = _open(self._key, proof) == "pulumi"
        except StackSecretsError:
            ok = False
        if not ok:
            raise StackSecretsError("incorrect passphrase for this stack (set PULUMI_CONFIG_PASSPHRASE)")

    @classmethod
    def new(cls, passphrase: str) -> tuple["PassphraseCrypter", str]:
        """A crypter with a fresh salt, and the `encryptionsalt` line's value for the stack file."""
        salt = os.urandom(8)
        state = f"v1:{base64.b64encode(salt).decode()}:{_seal(_key(passphrase, salt), 'pulumi')}"
        return cls(passphrase, state), state

    def encrypt(self, plaintext: str) -> str:
        return _seal(self._key, plaintext)

    def decrypt(self, ciphertext: str) -> str:
        return _open(self._key, ciphertext)


def load_stack_file(stack: str, stacks_dir: Path = STACKS_DIR) -> dict:
    path = stacks_dir / f"Pulumi.{stack}.yaml"
    if not path.exists():
        raise StackSecretsError(f"no stack file {path}")
    return yaml.safe_load(path.read_text()) or {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Pulumi passphrase secrets without the CLI")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("salt", help="print a new encryptionsalt for PULUMI_CONFIG_PASSPHRASE")
    enc = sub.add_parser("encrypt", help="encrypt stdin with a stack's salt; print a `secure:` value")
    enc.add_argument("--stack", required=True)
    args = parser.parse_args(argv)
    passphrase = os.environ.get("PULUMI_CONFIG_PASSPHRASE")
    if passphrase is None:
        print("set PULUMI_CONFIG_PASSPHRASE first", file=sys.stderr)
        return 2
    if args.command == "salt":
        print(f"encryptionsalt: {PassphraseCrypter.new(passphrase)[1]}")
        return 0
    salt = load_stack_file(args.stack).get("encryptionsalt")
    if not salt:
        print(f"stacks/Pulumi.{args.stack}.yaml has no encryptionsalt; run `salt` first", file=sys.stderr)
        return 2
    print(f"secure: {PassphraseCrypter(passphrase, salt).encrypt(sys.stdin.read().rstrip(chr(10)))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
