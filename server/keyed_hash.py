"""Keyed hashes: HMAC-SHA256, or HMAC-SM3 for deployments assessed under 密评 (GB/T 39786).

``BIANMIN_HASH`` chooses the algorithm for what is hashed from now on; every hash made by
:func:`seal` names its algorithm (``sm3:...``), so a log written under one setting still verifies
after the setting changes. Keys are derived from a secret with HKDF, one per purpose.
"""

from __future__ import annotations

import hmac as std_hmac
from typing import Literal

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

Algorithm = Literal["hmac-sha256", "hmac-sm3"]
_TAGS: dict[str, Algorithm] = {"sha256": "hmac-sha256", "sm3": "hmac-sm3"}
_NAMES = {alg: tag for tag, alg in _TAGS.items()}


def derive_key(secret: bytes, purpose: str) -> bytes:
    """A 32-byte key for one purpose (``audit-chain``, ``lookup``...) from a longer-lived secret."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=f"bianmin-{purpose}-v1".encode()).derive(secret)


def hmac_hex(key: bytes, message: bytes, algorithm: Algorithm) -> str:
    """HMAC of ``message`` under ``key`` as 64 hex digits (SHA-256 and SM3 are both 256-bit)."""
    if algorithm == "hmac-sha256":
        return std_hmac.new(key, message, "sha256").hexdigest()
    if algorithm == "hmac-sm3":
        mac = crypto_hmac.HMAC(key, hashes.SM3())
        mac.update(message)
        return mac.finalize().hex()
    raise ValueError(f"unknown keyed hash {algorithm!r}")


def seal(key: bytes, message: bytes, algorithm: Algorithm) -> str:
    """A self-describing HMAC: ``sha256:<hex>`` or ``sm3:<hex>``."""
    return f"{_NAMES[algorithm]}:{hmac_hex(key, message, algorithm)}"


def check(key: bytes, message: bytes, sealed: str) -> bool:
    """Whether ``sealed`` (from :func:`seal`, under any algorithm) is the HMAC of ``message`` under ``key``."""
    tag, _, _digest = sealed.partition(":")
    algorithm = _TAGS.get(tag)
    if algorithm is None:
        return False
    return std_hmac.compare_digest(seal(key, message, algorithm), sealed)
