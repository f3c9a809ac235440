"""Tests for provider/catalog (no network)."""
