"""Every error class a client can meet says what went wrong in Chinese, under a stable English code."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

from server.errors import DomainError
from tests.support.wording import CODE, not_chinese

PACKAGES = ("server", "bulletin", "appointments", "geo", "questions", "console")


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_domain_error_has_an_english_code_and_a_chinese_message() -> None:
    for name in PACKAGES:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, f"{name}."):
            if ".migrations" not in module.name:
                importlib.import_module(module.name)
    classes = set(_subclasses(DomainError))
    assert len(classes) > 100  # every package's errors were found
    wrong = {f"{c.__module__}.{c.__name__}": (c.code, c.message) for c in classes
             if not CODE.fullmatch(c.code) or not_chinese(c.message)}
    assert wrong == {}
