"""The provider suite's fixtures (a fresh real plugin configured for the emulator, and an Engine over it)."""

from tests.provider.conftest import engine, plugin

__all__ = ["engine", "plugin"]
