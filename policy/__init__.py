"""Pulumi policy pack guarding AEP Flow Service base connections (see docs/policy.md).

`policy/__main__.py` is what the Pulumi engine runs; the rules themselves are pure functions in `policy.rules`.
"""
