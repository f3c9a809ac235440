"""Tests for provider/client against the emulator over real HTTP."""
