"""Tests for provider/: settings, catalog, client (over HTTP to the emulator) and the dynamic provider (real plugin)."""
