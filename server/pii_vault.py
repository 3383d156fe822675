"""Personal information at rest: encrypted (AES-256-GCM, or SM4-GCM for 密评) and found again through keyed hashes.

Tokens look like ``v1.<key id>.<base64url(nonce + ciphertext)>`` and carry the id of the key that
made them, so keys rotate without downtime (``bianmin rotate-pii-key``): any known key decrypts,
the current one encrypts. Lookup hashes are HMACs under a key derived from each PII key, so a
row is found by equality during a rotation too. Validation and masking live in server/pii.py.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from server import keyed_hash


class PiiDecryptError(Exception):
    """A token that cannot be decrypted: tampered, wrong context, unknown key or malformed."""



# v1: AES-256-GCM; s1: SM4-GCM (GB/T 32907, for deployments assessed under 密评). The tag says which.
_TOKEN_FORM = re.compile(r"(v1|s1)\.([0-9a-f]{8})\.([A-Za-z0-9_-]+)")
CIPHER_TAGS = {"aes-256-gcm": "v1", "sm4-gcm": "s1"}
_NONCE_BYTES = 12
_TAG_BYTES = 16


def _key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


def _lookup_key(key: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"bianmin-lookup-v1")
    return hkdf.derive(key)


class Sm4Gcm:
    """SM4 in GCM mode with the AESGCM interface (nonce, data, associated data; the tag appended).

    The 128-bit SM4 key is derived from the 32-byte PII key with HKDF over SM3, so one
    ``BIANMIN_PII_KEY`` (and its rotation) serves both ciphers.
    """

    def __init__(self, key: bytes) -> None:
        self._key = HKDF(algorithm=hashes.SM3(), length=16, salt=None, info=b"bianmin-sm4-gcm-v1").derive(key)

    def encrypt(self, nonce: bytes, data: bytes, associated: bytes) -> bytes:
        encryptor = Cipher(algorithms.SM4(self._key), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(associated)
        return encryptor.update(data) + encryptor.finalize() + encryptor.tag

    def decrypt(self, nonce: bytes, sealed: bytes, associated: bytes) -> bytes:
        body, tag = sealed[:-_TAG_BYTES], sealed[-_TAG_BYTES:]
        decryptor = Cipher(algorithms.SM4(self._key), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(associated)
        return decryptor.update(body) + decryptor.finalize()  # InvalidTag when tampered


class PiiVault:
    """Encryption of personal data (AES-256-GCM or SM4-GCM), with key rotation and lookup hashes.

    ``cipher`` (``BIANMIN_PII_CIPHER``) is what new tokens use; tokens of either cipher under any
    known key are read. ``hash_alg`` (``BIANMIN_HASH``) keys the lookup hashes: HMAC-SHA256 or HMAC-SM3.
    """

    def __init__(self, current_key: bytes, previous_keys: Sequence[bytes] = (), *, cipher: str = "aes-256-gcm",
                 hash_alg: keyed_hash.Algorithm = "hmac-sha256") -> None:
        given = (current_key, *previous_keys)
        keys = [bytes(k) for k in given if isinstance(k, (bytes, bytearray))]
        if len(keys) != len(given) or any(len(k) != 32 for k in keys):
            raise ValueError("PII keys must be 32 bytes each")
        if cipher not in CIPHER_TAGS:
            raise ValueError(f"unknown PII cipher {cipher!r}")
        self._current = (CIPHER_TAGS[cipher], _key_id(keys[0]))
        self._ciphers: dict[tuple[str, str], AESGCM | Sm4Gcm] = {}
        for key in keys:
            self._ciphers.setdefault(("v1", _key_id(key)), AESGCM(key))
            self._ciphers.setdefault(("s1", _key_id(key)), Sm4Gcm(key))
        self._lookup_keys = [_lookup_key(k) for k in dict.fromkeys(keys)]
        self._hash_algs: list[keyed_hash.Algorithm] = [hash_alg, *(
            a for a in ("hmac-sha256", "hmac-sm3") if a != hash_alg)]  # type: ignore[misc]

    def __repr__(self) -> str:
        return f"PiiVault(current={self._current[1]}, cipher={self._current[0]}, keys={len(self._lookup_keys)})"

    def encrypt(self, plaintext: str, *, context: str) -> str:
        """Encrypt under the current key and cipher: ``<v1|s1>.<key id>.<base64url(nonce + ciphertext)>``."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._ciphers[self._current].encrypt(nonce, plaintext.encode("utf-8"), context.encode("utf-8"))
        body = base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode("ascii")
        return f"{self._current[0]}.{self._current[1]}.{body}"

    def decrypt(self, token: str, *, context: str) -> str:
        """Decrypt a token made by :meth:`encrypt` under any known key and cipher, and the same context."""
        tag, key_id, blob = _parse_token(token)
        cipher = self._ciphers.get((tag, key_id))
        if cipher is None:
            raise PiiDecryptError(f"unknown key id {key_id}")
        try:
            nonce, sealed = blob[:_NONCE_BYTES], blob[_NONCE_BYTES:]
            return cipher.decrypt(nonce, sealed, context.encode("utf-8")).decode("utf-8")
        except (InvalidTag, UnicodeDecodeError):
            raise PiiDecryptError("token was tampered with or belongs to another context") from None

    def needs_rotation(self, token: str) -> bool:
        """True when the token was not made with the current key and cipher (re-encrypt it)."""
        tag, key_id, _blob = _parse_token(token)
        return (tag, key_id) != self._current

    def lookup_hash(self, value: str, *, kind: str) -> str:
        """Keyed HMAC (hex; SHA-256 or SM3 as configured) of a normalised value, for equality lookups."""
        return _lookup_hmac(self._lookup_keys[0], value, kind, self._hash_algs[0])

    def lookup_hashes(self, value: str, *, kind: str) -> list[str]:
        """The lookup hash under every known key and both algorithms, current first (lookups during rotation)."""
        return [_lookup_hmac(k, value, kind, alg) for alg in self._hash_algs for k in self._lookup_keys]


def _lookup_hmac(lookup_key: bytes, value: str, kind: str, algorithm: keyed_hash.Algorithm = "hmac-sha256") -> str:
    kind_bytes = kind.encode("utf-8")
    # Length-prefixing the kind keeps ("ab", "c") and ("a", "bc") apart.
    message = len(kind_bytes).to_bytes(4, "big") + kind_bytes + value.encode("utf-8")
    return keyed_hash.hmac_hex(lookup_key, message, algorithm)


def _parse_token(token: str) -> tuple[str, str, bytes]:
    match = _TOKEN_FORM.fullmatch(token) if isinstance(token, str) else None
    if match is None:
        raise PiiDecryptError("malformed token")
    body = match.group(3)
    try:
        blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise PiiDecryptError("malformed token") from None
    if len(blob) < _NONCE_BYTES + _TAG_BYTES:
        raise PiiDecryptError("malformed token")
    return match.group(1), match.group(2), blob


_vault: tuple[tuple[bytes, tuple[bytes, ...], str, str], PiiVault] | None = None


def vault() -> PiiVault:
    """The process's vault, built from BIANMIN_PII_KEY (and BIANMIN_PII_PREVIOUS_KEYS)."""
    global _vault
    from server import config

    settings = config.current()
    keys = (settings.pii_key, settings.pii_previous_keys, settings.pii_cipher, settings.hash_alg)
    if _vault is None or _vault[0] != keys:
        _vault = (keys, PiiVault(settings.pii_key, settings.pii_previous_keys, cipher=settings.pii_cipher,
                                 hash_alg=settings.hash_alg))
    return _vault[1]
