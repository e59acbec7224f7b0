"""The sync package file, format version 1: framing, signatures, encryption, canonical entries.

A package is one file::

    b"FPDESK-SYNC\\n" | u16 format | u32 header length | header (canonical JSON) | 64-byte Ed25519
    signature of everything before it | payload

The header names sender, recipient and channel sequence (routing only, no personal data), the
payload's size and SHA-256, a fresh 24-byte nonce, and the payload key sealed (X25519 sealed box)
to every recipient device plus the county's escrow device. The payload is XChaCha20-Poly1305 over
zstd-compressed lines: the manifest first, then the change entries of each origin block.

So every byte is covered twice: the sender's signature covers the header, the header covers the
payload's hash, and the AEAD tag covers the plaintext. A cut file fails the size check first, with
its own message. Sealed boxes are sender-anonymous; the signature is what says who sent it.

Change entries are canonical JSON lines (sorted keys, no spaces). An origin device signs a *block*
of its entries (origin, direction, first and last sequence, count, SHA-256 of the lines); a relay
re-creates the same lines from its change log and forwards the origin's block signature, so the
county checks a village's records end to end without one signature per record.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
import struct
import uuid
from dataclasses import dataclass
from typing import Any

from nacl import bindings, pwhash
from nacl.exceptions import BadSignatureError, CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.signing import SigningKey, VerifyKey

from fpdesk.core import signed_payload
from fpdesk.core.errors import DomainError

MAGIC = b"FPDESK-SYNC\n"
FORMAT_VERSION = 1
SUPPORTED_FORMATS = (1,)
SUFFIX = ".fpsync"
_PREFIX = struct.Struct(">HI")


_CORRUPT_ZH = {"header": "文件头无法读取", "trailing bytes": "文件末尾有多余内容", "signature": "签名不符",
               "payload hash": "内容校验值不符", "decryption": "无法解密", "compressed data": "压缩数据损坏",
               "line": "记录行无法读取", "line block": "记录行无法读取", "sender block signature": "发送方签名不符"}


def corrupt(detail: str) -> DomainError:
    """The refusal of a damaged package; ``detail`` (English) says which check failed."""
    if detail.startswith("block "):
        zh = f"第{int(detail.split()[1]) + 1}段记录的校验值不符"
    elif detail.startswith("manifest"):
        zh = "清单内容不符"
    else:
        zh = _CORRUPT_ZH.get(detail, detail)
    return DomainError("package_corrupt", {"detail": detail, "detail_zh": zh})


_CANONICAL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def malformed(detail: str, detail_zh: str) -> DomainError:
    """The refusal of a package whose signed content does not have the shape this format defines."""
    return DomainError("package_malformed", {"detail": detail, "detail_zh": detail_zh})


def load_json(data: bytes | str, what: str, what_zh: str) -> Any:
    """JSON from a package, or package_malformed (bad text, or nesting deep enough to exhaust the stack)."""
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        raise malformed(f"{what} is not JSON", f"{what_zh}无法读取") from None


def canonical(value: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8 (one encoder for every call: building one costs more than a line)."""
    return _CANONICAL.encode(value).encode()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode(), validate=True)


# ---- keys and signatures -----------------------------------------------------------------------

@dataclass(frozen=True)
class DeviceKeys:
    sign_private: bytes
    enc_private: bytes

    @property
    def sign_public(self) -> str:
        return SigningKey(self.sign_private).verify_key.encode().hex()

    @property
    def enc_public(self) -> str:
        return PrivateKey(self.enc_private).public_key.encode().hex()

    def sign(self, message: bytes) -> bytes:
        return SigningKey(self.sign_private).sign(message).signature


def new_device_keys() -> DeviceKeys:
    return DeviceKeys(bytes(SigningKey.generate()), bytes(PrivateKey.generate()))


def verify(sign_public_hex: str, message: bytes, signature: bytes) -> bool:
    try:
        VerifyKey(bytes.fromhex(sign_public_hex)).verify(message, signature)
        return True
    except (BadSignatureError, ValueError):
        return False


def fingerprint(public_hex: str) -> str:
    """What people compare when pairing: 16 hex digits in groups of four (as printed keys show)."""
    return signed_payload.fingerprint(bytes.fromhex(public_hex))


# ---- pairing codes --------------------------------------------------------------------------------

def new_pairing_code() -> str:
    digits = f"{secrets.randbelow(10**12):012d}"
    return "-".join(digits[i:i + 4] for i in range(0, 12, 4))


def pairing_key(code: str, salt: bytes) -> bytes:
    """A key from the pairing code (Argon2id, so a stolen invitation cannot be tried fast)."""
    digits = "".join(ch for ch in code if ch.isdigit()).encode()
    return pwhash.argon2id.kdf(32, digits, salt, opslimit=pwhash.argon2id.OPSLIMIT_INTERACTIVE,
                               memlimit=pwhash.argon2id.MEMLIMIT_INTERACTIVE)


def mac(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def mac_ok(key: bytes, message: bytes, expected: str) -> bool:
    return hmac.compare_digest(mac(key, message), expected)


# ---- change entries and blocks -----------------------------------------------------------------

def entry_line(seq: int, entity: str, record_id: str, revision: int, operation: str,
               fields: dict[str, Any], old_values: dict[str, Any] | None, author: str, at: str) -> bytes:
    return canonical([seq, entity, record_id, revision, operation, fields, old_values, author, at])


def block_statement(origin: str, direction: str, first: int, last: int, count: int, digest: str) -> bytes:
    return canonical({"origin": origin, "direction": direction, "from": first, "to": last, "count": count,
                      "sha256": digest})


# ---- the file -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Outer:
    """A package's plaintext parts, parsed but not yet trusted."""

    header: dict[str, Any]
    signed: bytes
    signature: bytes
    payload: bytes


def seal(header: dict[str, Any], inner: bytes, keys: DeviceKeys, recipients: dict[str, str]) -> bytes:
    """Encrypt ``inner`` (already compressed) to ``recipients`` (device -> X25519 public hex), sign."""
    file_key = secrets.token_bytes(32)
    nonce = secrets.token_bytes(24)
    payload = bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(inner, None, nonce, file_key)
    header = {**header, "format": FORMAT_VERSION, "nonce": b64(nonce),
              "payload_size": len(payload), "payload_sha256": hashlib.sha256(payload).hexdigest(),
              "keys": {device: b64(SealedBox(PublicKey(bytes.fromhex(pk))).encrypt(file_key))
                       for device, pk in sorted(recipients.items())}}
    header_bytes = canonical(header)
    signed = MAGIC + _PREFIX.pack(FORMAT_VERSION, len(header_bytes)) + header_bytes
    return signed + keys.sign(signed) + payload


def parse(data: bytes, name: str = "") -> Outer:
    """Split a file into its parts; refuses anything that is not a whole package of a known format."""
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + _PREFIX.size:
        raise DomainError("not_a_package", {"name": name})
    version, header_length = _PREFIX.unpack_from(data, len(MAGIC))
    if version not in SUPPORTED_FORMATS:
        raise DomainError("package_format_unsupported", {"version": version, "supported": SUPPORTED_FORMATS[-1]})
    start = len(MAGIC) + _PREFIX.size
    end = start + header_length
    if len(data) < end + 64:
        raise DomainError("package_truncated", {"expected": f"> {end + 64}", "actual": len(data)})
    try:
        header = json.loads(data[start:end])
        size = header["payload_size"]
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise TypeError("payload_size")
        expected = end + 64 + size
    except (ValueError, KeyError, TypeError, RecursionError):
        raise corrupt("header") from None
    if len(data) < expected:
        raise DomainError("package_truncated", {"expected": expected, "actual": len(data)})
    if len(data) > expected:
        raise corrupt("trailing bytes")
    check_header(header)
    return Outer(header, data[:end], data[end:end + 64], data[end + 64:])


# ---- the shape of what a package holds --------------------------------------------------------------
# A sender's signature says who wrote a package, not that its program wrote what the format defines:
# every part is checked for shape before it is used, so a malformed one is a refusal, not a traceback.

OPERATIONS = frozenset({"insert", "update", "delete", "resolve"})
MAX_LINE = 16 * 1024 * 1024  # one change entry (a product definition's YAML is the largest: ~50 KB)


def _is_int(value: Any, low: int = 0) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= low


def _is_text(value: Any, longest: int = 200) -> bool:
    return isinstance(value, str) and 0 < len(value) <= longest


def _require(ok: bool, detail: str, detail_zh: str) -> None:
    if not ok:
        raise malformed(detail, detail_zh)


def check_header(header: Any) -> None:
    _require(isinstance(header, dict), "header is not an object", "文件头不是对象")
    sender, recipient, join = header.get("sender"), header.get("recipient"), header.get("join")
    _require(isinstance(sender, dict) and _is_text(sender.get("office"), 20) and _is_text(sender.get("device"), 40),
             "header sender", "文件头的发送单位")
    _require(isinstance(recipient, dict) and _is_text(recipient.get("office"), 20), "header recipient",
             "文件头的接收单位")
    _require(_is_text(header.get("package_id"), 40), "header package_id", "文件头的数据包编号")
    _require(_is_int(header.get("channel_seq"), 1), "header channel_seq", "文件头的数据包序号")
    keys = header.get("keys")
    _require(isinstance(keys, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in keys.items()),
             "header keys", "文件头的密钥")
    _require(isinstance(header.get("nonce"), str), "header nonce", "文件头的随机数")
    _require(join is None or isinstance(join, dict), "header join", "文件头的配对证明")


def check_manifest(manifest: Any) -> None:
    _require(isinstance(manifest, dict), "manifest is not an object", "清单不是对象")
    sender, blocks, receipt = manifest.get("sender"), manifest.get("blocks"), manifest.get("receipt")
    _require(isinstance(sender, dict) and _is_text(sender.get("device"), 40), "manifest sender", "清单的发送单位")
    _require(_is_int(manifest.get("channel_seq"), 1), "manifest channel_seq", "清单的数据包序号")
    _require(isinstance(blocks, list), "manifest blocks", "清单的记录段")
    for block in blocks:
        _require(isinstance(block, dict) and _is_text(block.get("origin"), 40)
                 and block.get("direction") in ("up", "down") and _is_int(block.get("from"), 1)
                 and _is_int(block.get("to"), 1) and block["to"] >= block["from"] and _is_int(block.get("count"))
                 and isinstance(block.get("sha256"), str) and isinstance(block.get("sig"), str),
                 "manifest block", "清单的记录段")
    _require(receipt is None or isinstance(receipt, dict), "manifest receipt", "清单的回执")
    if receipt:
        vector = receipt.get("vector") or {}
        _require(isinstance(vector, dict) and all(isinstance(k, str) and _is_int(v) for k, v in vector.items())
                 and _is_int(receipt.get("last_received_seq") or 0)
                 and (receipt.get("report") is None or isinstance(receipt.get("report"), dict)),
                 "manifest receipt", "清单的回执")


# an id as str(uuid.UUID) and every export write it: such a text needs no parsing to be read or stored
CANONICAL_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z")


def entry_of(line: bytes) -> list:
    """A change entry line as a list, checked: [seq, entity, record id, revision, operation, fields,
    old values, author, time]."""
    return checked_entry(load_json(line, "a change entry", "一条修改记录"))


def checked_entry(entry: Any) -> list:
    """A decoded change entry, checked for the shape entry_of describes (package_malformed if not)."""
    ok = isinstance(entry, list) and len(entry) == 9
    if ok:
        seq, entity, record_id, revision, operation, fields, old, author, at = entry
        ok = (_is_int(seq, 1) and _is_text(entity, 30) and isinstance(record_id, str) and _is_int(revision)
              and operation in OPERATIONS and isinstance(fields, dict) and (old is None or isinstance(old, dict))
              and isinstance(author, str) and len(author) <= 40 and isinstance(at, str))
        if ok:
            try:
                if not CANONICAL_ID.match(record_id):  # what exports write; anything else is parsed
                    uuid.UUID(record_id)
                dt.datetime.fromisoformat(at)
            except ValueError:
                ok = False
    _require(ok, "a change entry", "一条修改记录")
    return entry


def check(outer: Outer, sender_sign_public: str) -> None:
    if not verify(sender_sign_public, outer.signed, outer.signature):
        raise corrupt("signature")
    if hashlib.sha256(outer.payload).hexdigest() != outer.header.get("payload_sha256"):
        raise corrupt("payload hash")


def open_payload(outer: Outer, device_id: str, enc_private: bytes) -> bytes:
    sealed = outer.header.get("keys", {}).get(device_id)
    if sealed is None:
        raise DomainError("package_wrong_recipient", {"recipient": outer.header.get("recipient", {}).get("office"),
                                                      "office": device_id})
    try:
        file_key = SealedBox(PrivateKey(enc_private)).decrypt(unb64(sealed))
        return bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(
            outer.payload, None, unb64(outer.header["nonce"]), file_key)
    except (CryptoError, ValueError, KeyError):
        raise corrupt("decryption") from None


def file_name(sender: str, recipient: str, seq: int) -> str:
    return f"{sender}-to-{recipient}-{seq:06d}{SUFFIX}"
