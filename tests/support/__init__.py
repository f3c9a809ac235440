"""Helpers shared by the test suites (emulator control, conformance checks)."""
