"""Personal information at rest: encrypted (AES-256-GCM) and found again through keyed hashes.

Tokens look like ``v1.<key id>.<base64url(nonce + ciphertext)>`` and carry the id of the key that
made them, so keys rotate without downtime (``bianmin rotate-pii-key``): any known key decrypts,
the current one encrypts. Lookup hashes are HMACs under a key derived from each PII key, so a
row is found by equality during a rotation too. Validation and masking live in server/pii.py.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


class PiiDecryptError(Exception):
    """A token that cannot be decrypted: tampered, wrong context, unknown key or malformed."""



_TOKEN_FORM = re.compile(r"v1\.([0-9a-f]{8})\.([A-Za-z0-9_-]+)")
_NONCE_BYTES = 12
_TAG_BYTES = 16


def _key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


def _lookup_key(key: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"bianmin-lookup-v1")
    return hkdf.derive(key)


class PiiVault:
    """AES-256-GCM encryption of personal data, with key rotation and lookup hashes."""

    def __init__(self, current_key: bytes, previous_keys: Sequence[bytes] = ()) -> None:
        given = (current_key, *previous_keys)
        keys = [bytes(k) for k in given if isinstance(k, (bytes, bytearray))]
        if len(keys) != len(given) or any(len(k) != 32 for k in keys):
            raise ValueError("PII keys must be 32 bytes each")
        self._current_id = _key_id(keys[0])
        self._ciphers: dict[str, AESGCM] = {}
        for key in keys:
            self._ciphers.setdefault(_key_id(key), AESGCM(key))
        self._lookup_keys = [_lookup_key(k) for k in dict.fromkeys(keys)]

    def __repr__(self) -> str:
        return f"PiiVault(current={self._current_id}, keys={len(self._ciphers)})"

    def encrypt(self, plaintext: str, *, context: str) -> str:
        """Encrypt under the current key: ``v1.<key id>.<base64url(nonce + ciphertext)>``."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._ciphers[self._current_id].encrypt(
            nonce, plaintext.encode("utf-8"), context.encode("utf-8")
        )
        body = base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode("ascii")
        return f"v1.{self._current_id}.{body}"

    def decrypt(self, token: str, *, context: str) -> str:
        """Decrypt a token made by :meth:`encrypt` under any known key and the same context."""
        key_id, blob = _parse_token(token)
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise PiiDecryptError(f"unknown key id {key_id}")
        try:
            nonce, sealed = blob[:_NONCE_BYTES], blob[_NONCE_BYTES:]
            return cipher.decrypt(nonce, sealed, context.encode("utf-8")).decode("utf-8")
        except (InvalidTag, UnicodeDecodeError):
            raise PiiDecryptError("token was tampered with or belongs to another context") from None

    def needs_rotation(self, token: str) -> bool:
        """True when the token was not made with the current key (re-encrypt it)."""
        return _parse_token(token)[0] != self._current_id

    def lookup_hash(self, value: str, *, kind: str) -> str:
        """Keyed HMAC-SHA256 (hex) of a normalised value, for equality lookups of ``kind``."""
        return _lookup_hmac(self._lookup_keys[0], value, kind)

    def lookup_hashes(self, value: str, *, kind: str) -> list[str]:
        """The lookup hash under every known key, current first (for lookups during rotation)."""
        return [_lookup_hmac(k, value, kind) for k in self._lookup_keys]


def _lookup_hmac(lookup_key: bytes, value: str, kind: str) -> str:
    kind_bytes = kind.encode("utf-8")
    # Length-prefixing the kind keeps ("ab", "c") and ("a", "bc") apart.
    message = len(kind_bytes).to_bytes(4, "big") + kind_bytes + value.encode("utf-8")
    return hmac.new(lookup_key, message, hashlib.sha256).hexdigest()


def _parse_token(token: str) -> tuple[str, bytes]:
    match = _TOKEN_FORM.fullmatch(token) if isinstance(token, str) else None
    if match is None:
        raise PiiDecryptError("malformed token")
    body = match.group(2)
    try:
        blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise PiiDecryptError("malformed token") from None
    if len(blob) < _NONCE_BYTES + _TAG_BYTES:
        raise PiiDecryptError("malformed token")
    return match.group(1), blob


_vault: tuple[tuple[bytes, tuple[bytes, ...]], PiiVault] | None = None


def vault() -> PiiVault:
    """The process's vault, built from BIANMIN_PII_KEY (and BIANMIN_PII_PREVIOUS_KEYS)."""
    global _vault
    from server import config

    settings = config.current()
    keys = (settings.pii_key, settings.pii_previous_keys)
    if _vault is None or _vault[0] != keys:
        _vault = (keys, PiiVault(settings.pii_key, settings.pii_previous_keys))
    return _vault[1]
