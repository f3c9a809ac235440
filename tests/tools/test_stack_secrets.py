"""Pulumi's passphrase secrets format, reproduced: checked against a salt Pulumi itself produced."""

from __future__ import annotations

import base64
import io

import pytest

from tools.stack_secrets import PassphraseCrypter, StackSecretsError, load_stack_file, main

# The passphrase state in pulumi/pulumi's pkg/secrets/passphrase tests, made by the Go implementation with the
# passphrase "password".
PULUMI_TEST_STATE = "v1:fozI5u6B030=:v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ=="


def test_a_salt_made_by_pulumi_accepts_its_passphrase_and_refuses_others():
    PassphraseCrypter("password", PULUMI_TEST_STATE)
    with pytest.raises(StackSecretsError, match="incorrect passphrase"):
        PassphraseCrypter("password123", PULUMI_TEST_STATE)


def test_values_round_trip_and_use_a_fresh_nonce_each_time():
    crypter, state = PassphraseCrypter.new("s3cret phrase")
    first, second = crypter.encrypt("hunter2"), crypter.encrypt("hunter2")
    assert first != second
    assert PassphraseCrypter("s3cret phrase", state).decrypt(first) == "hunter2"
    version, nonce, sealed = first.split(":")
    assert version == "v1" and len(base64.b64decode(nonce)) == 12
    assert len(base64.b64decode(sealed)) == len("hunter2") + 16  # AES-GCM tag


def test_new_state_has_pulumis_shape():
    _, state = PassphraseCrypter.new("x")
    version, salt, proof = state.split(":", 2)
    assert version == "v1" and len(base64.b64decode(salt)) == 8 and proof.startswith("v1:")


def test_tampered_or_malformed_values_are_refused_without_detail():
    crypter, _ = PassphraseCrypter.new("x")
    value = crypter.encrypt("hunter2")
    tampered = value[:-4] + ("AAAA" if not value.endswith("AAAA") else "BBBB")
    for bad in (tampered, "v2:abc:def", "hunter2"):
        with pytest.raises(StackSecretsError) as err:
            crypter.decrypt(bad)
        assert "hunter2" not in str(err.value)


def test_the_local_stack_decrypts_with_the_documented_passphrase():
    stack = load_stack_file("local")
    crypter = PassphraseCrypter("local", stack["encryptionsalt"])
    assert crypter.decrypt(stack["config"]["aep:clientSecret"]["secure"]) == "local-secret"


def test_cli_encrypts_stdin_for_a_stack(monkeypatch, capsys):
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "local")
    monkeypatch.setattr("sys.stdin", io.StringIO("new-value\n"))
    assert main(["encrypt", "--stack", "local"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("secure: v1:")
    salt = load_stack_file("local")["encryptionsalt"]
    assert PassphraseCrypter("local", salt).decrypt(line.removeprefix("secure: ")) == "new-value"


def test_cli_needs_the_passphrase(monkeypatch, capsys):
    monkeypatch.delenv("PULUMI_CONFIG_PASSPHRASE", raising=False)
    assert main(["salt"]) == 2
    assert "PULUMI_CONFIG_PASSPHRASE" in capsys.readouterr().err
