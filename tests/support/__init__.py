"""Test-only helpers (not fixtures)."""
