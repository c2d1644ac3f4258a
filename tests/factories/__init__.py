"""Test helpers: synthetic audio, reports and word lists, the app harness, shared paths."""
