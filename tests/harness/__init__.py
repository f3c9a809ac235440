"""Test harnesses that drive the real Pulumi plugin processes."""
