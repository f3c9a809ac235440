"""Unit tests for the pure rules (policy/rules/)."""
