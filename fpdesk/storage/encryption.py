"""Encryption at rest: SQLCipher (through sqlcipher3) with a random database key kept in a keyring file.

The database key is 32 random bytes. ``<database>.keys`` holds it wrapped once per user (their password
through argon2id, then XSalsa20-Poly1305) and once by the recovery code, so any user — or the recovery
code — opens the database, and a password change re-wraps the key without re-encrypting the file.
Whether a file is encrypted is read from the file itself: a plain SQLite file starts with the SQLite
header, an encrypted one with random bytes. (A crash while encrypting leaves the plain file and a
keyring that is simply ignored.)
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event

from fpdesk.core.errors import DomainError
from fpdesk.storage.durable import flush_to_disk, write_atomically
from fpdesk.storage.sqlite_files import SQLITE_HEADER

KEYRING_FORMAT = "fpdesk-keyring/1"
RECOVERY = "recovery"


def keyring_path(database: Path) -> Path:
    return database.with_name(database.name + ".keys")


def pending_keyring_path(database: Path) -> Path:
    """The keyring of an encryption not yet switched over (services/trust/encryption.py)."""
    return database.with_name(database.name + ".keys.pending")


def encrypting_path(database: Path) -> Path:
    return database.with_name(database.name + ".encrypting")


def settle(database: Path) -> str | None:
    """Finish or undo an encryption that was interrupted, before the file is opened.

    The switch is the rename of the encrypted copy over the database: before it the plain file is
    whole and its recovery code still valid, so the run is undone (the new keyring and the half
    copy go); after it the encrypted file needs its new keyring, which is put in place. Returns
    "undone", "completed" or None (nothing to do)."""
    pending = pending_keyring_path(database)
    if not pending.exists():
        return None
    try:
        with open(database, "rb") as handle:
            plain = handle.read(16) == SQLITE_HEADER
    except OSError:
        plain = True
    if plain:
        pending.unlink(missing_ok=True)
        encrypting_path(database).unlink(missing_ok=True)
        return "undone"
    flush_to_disk(pending)
    os.replace(pending, keyring_path(database))
    return "completed"


def is_encrypted(database: Path) -> bool:
    """An existing file without the SQLite header, with a keyring beside it."""
    try:
        with open(database, "rb") as handle:
            header = handle.read(16)
    except OSError:
        return False
    return len(header) == 16 and header != SQLITE_HEADER and keyring_path(database).exists()


def new_key() -> bytes:
    return secrets.token_bytes(32)


def _kek(secret: str, salt: bytes) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(secret.encode(), salt, time_cost=2, memory_cost=65536, parallelism=1, hash_len=32,
                           type=Type.ID)


def wrap(key: bytes, secret: str) -> dict[str, str]:
    from nacl.secret import SecretBox

    salt = secrets.token_bytes(16)
    box = SecretBox(_kek(secret, salt)).encrypt(key)
    return {"salt": base64.b64encode(salt).decode(), "box": base64.b64encode(bytes(box)).decode()}


def unwrap(entry: dict[str, str], secret: str) -> bytes | None:
    from nacl.exceptions import CryptoError
    from nacl.secret import SecretBox

    try:
        if entry.get("kind") == ACCOUNT_HASH:
            kek = _account_kek(entry["params"], secret)
        else:
            kek = _kek(secret, base64.b64decode(entry["salt"]))
        return SecretBox(kek).decrypt(base64.b64decode(entry["box"]))
    except (CryptoError, KeyError, ValueError):
        return None


# An account that existed before encryption was turned on: its password is not known then, only its
# argon2id hash. The key is wrapped under that hash's raw output (what the password gives again with
# the hash's own salt and costs); the keyring keeps the salt and costs, not the hash, which stays in
# the encrypted database. At the account's next log-in the wrap is replaced by an ordinary one.
ACCOUNT_HASH = "account-hash"


def _argon2_parts(encoded: str) -> tuple[dict[str, int], bytes, bytes | None]:
    """($argon2id$v=19$m=…,t=…,p=…$salt[$hash]) -> (costs, salt, raw hash or None)."""
    parts = encoded.split("$")
    if len(parts) < 5 or parts[1] != "argon2id":
        raise ValueError("not an argon2id hash")
    costs = {k: int(v) for k, v in (item.split("=") for item in parts[3].split(","))}

    def decode(text: str) -> bytes:
        return base64.b64decode(text + "=" * (-len(text) % 4))

    return costs, decode(parts[4]), decode(parts[5]) if len(parts) > 5 else None


def _account_kek(params: str, password: str) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    costs, salt, _ = _argon2_parts(params)
    raw = hash_secret_raw(password.encode(), salt, time_cost=costs["t"], memory_cost=costs["m"],
                          parallelism=costs["p"], hash_len=32, type=Type.ID)
    return _kek_of_raw(raw)


def _kek_of_raw(raw: bytes) -> bytes:
    import hashlib

    return hashlib.blake2b(raw, digest_size=32, person=b"fpdesk-keyring").digest()


def wrap_by_hash(key: bytes, password_hash: str) -> dict[str, str]:
    """The key wrapped for an account through its stored argon2id hash (see ACCOUNT_HASH)."""
    from nacl.secret import SecretBox

    _costs, _salt, raw = _argon2_parts(password_hash)
    if raw is None or len(raw) != 32:
        raise ValueError("an argon2id hash of 32 bytes expected")
    params = "$".join(password_hash.split("$")[:5])
    return {"kind": ACCOUNT_HASH, "params": params,
            "box": base64.b64encode(bytes(SecretBox(_kek_of_raw(raw)).encrypt(key))).decode()}


def load_keyring(database: Path) -> dict[str, Any]:
    path = keyring_path(database)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"format": KEYRING_FORMAT, "wraps": {}}
    return data if data.get("format") == KEYRING_FORMAT else {"format": KEYRING_FORMAT, "wraps": {}}


def save_keyring(database: Path, keyring: dict[str, Any]) -> None:
    write_atomically(keyring_path(database), json.dumps(keyring, indent=1).encode("utf-8"))


def user_slot(name: str) -> str:
    return f"user:{name}"


def unlock(database: Path, slot: str, secret: str) -> bytes | None:
    entry = load_keyring(database)["wraps"].get(slot)
    return unwrap(entry, secret) if entry else None


def set_wrap(database: Path, slot: str, key: bytes, secret: str) -> None:
    keyring = load_keyring(database)
    keyring["wraps"][slot] = wrap(key, secret)
    save_keyring(database, keyring)


def drop_wrap(database: Path, slot: str) -> None:
    keyring = load_keyring(database)
    if keyring["wraps"].pop(slot, None) is not None:
        save_keyring(database, keyring)


def _module():
    try:
        import sqlcipher3
    except ImportError:
        raise DomainError("encryption_unavailable") from None
    return sqlcipher3


def connect(path: Path, key: bytes, *, read_only: bool = False):
    """A DB-API connection to an encrypted file (sqlcipher3)."""
    module = _module()
    target = f"file:{path}?mode=ro" if read_only else str(path)
    connection = module.connect(target, uri=read_only, check_same_thread=False)
    connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return connection


def cipher_engine(path: Path, key: bytes, pragmas) -> Engine:
    engine = create_engine(URL.create("sqlite", database=str(path)), creator=lambda: connect(path, key),
                           hide_parameters=True)  # as make_engine: no row values in error texts
    event.listen(engine, "connect", pragmas)
    return engine


def encrypt_in_place(database: Path, key: bytes, *, before_switch=None) -> None:
    """Rewrite a plain database file encrypted with ``key`` (sqlcipher_export), replacing it atomically.
    ``before_switch()`` runs when the encrypted copy is complete and synced, just before the rename."""
    module = _module()
    plain = sqlite3.connect(database)
    plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    plain.execute("PRAGMA journal_mode=DELETE")
    plain.close()
    target = encrypting_path(database)
    target.unlink(missing_ok=True)
    connection = module.connect(str(database))
    try:
        connection.execute(f"ATTACH DATABASE '{target}' AS encrypted KEY \"x'{key.hex()}'\"")
        connection.execute("SELECT sqlcipher_export('encrypted')")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        connection.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        connection.execute("DETACH DATABASE encrypted")
    finally:
        connection.close()
    flush_to_disk(target)
    if before_switch is not None:
        before_switch()
    os.replace(target, database)
    for suffix in ("-wal", "-shm"):
        Path(str(database) + suffix).unlink(missing_ok=True)
