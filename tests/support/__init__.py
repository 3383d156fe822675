"""Helpers shared by the test suites: realistic test data, never production code."""
