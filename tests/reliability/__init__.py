"""Reliability suites: a seeded fault soak through the real plugin, conflicts, concurrency, token renewal."""
