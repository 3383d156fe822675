"""The small district of the letters' API tests (two departments, their heads, a dispatcher)."""

from tests.api.questions.conftest import district  # noqa: F401  (a fixture, shared)
