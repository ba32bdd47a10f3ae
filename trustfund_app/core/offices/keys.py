"""Signing and encryption keys of an office.

Each database with an office identity has an Ed25519 key pair in minisign's format (py-minisign):
the public key is registered in the database (its own and the other side's), the secret key lives
in a file in the user's data folder (``keys/``, mode 0600), never in the database, so a copy of the
database alone cannot sign in the office's name. Package manifests are signed as minisign
signatures, which an auditor checks with the standard ``minisign -V`` tool. Package contents are
encrypted to the recipient with a PyNaCl sealed box, the recipient's Ed25519 key converted to its
Curve25519 form (libsodium's own conversion), so no second key needs to be exchanged.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import minisign
import nacl.exceptions
import nacl.public
import nacl.signing

KEY_DIR_ENV = "TRUSTFUND_KEY_DIR"  # tests and portable installs point this elsewhere


def key_dir() -> Path:
    configured = os.environ.get(KEY_DIR_ENV)
    if configured:
        path = Path(configured)
    else:
        from trustfund_app.core.paths import user_data_dir

        path = user_data_dir() / "keys"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def secret_key_path(code: str, key_id: str) -> Path:
    return key_dir() / f"office-{code}-{key_id}.key"


def _write_private(path: Path, data: bytes) -> None:
    """Create ``path`` readable by its owner only (created 0600, never widened)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def generate(code: str) -> tuple[str, str]:
    """A new key pair for office ``code``: the secret key written to its file; returns
    (public key in minisign's base64, key id hex)."""
    pair = minisign.KeyPair.generate()
    key_id = key_id_of(pair.public_key)
    pair.secret_key.untrusted_comment = f"TrustFund Desk secret key of office {code}"
    _write_private(secret_key_path(code, key_id), bytes(pair.secret_key) + b"\n")
    return pair.public_key.to_base64().decode("ascii"), key_id


def key_id_of(public: minisign.PublicKey) -> str:
    # minisign shows key ids as 16 upper-case hex digits of the little-endian number
    return bytes(public._keynum_pk.key_id)[::-1].hex().upper()


def load_secret(code: str, key_id: str) -> minisign.SecretKey:
    path = secret_key_path(code, key_id)
    return minisign.SecretKey.from_bytes(path.read_bytes().strip())


def public_from_text(text: str) -> minisign.PublicKey:
    """A public key from a minisign .pub file's text or its base64 line alone."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    key_line = next((line for line in lines if not line.startswith("untrusted comment:")), "")
    return minisign.PublicKey.from_base64(key_line)


def public_file_text(public_b64: str, code: str) -> str:
    """The .pub file an office hands over: minisign's own layout."""
    key = minisign.PublicKey.from_base64(public_b64)
    return f"untrusted comment: TrustFund Desk office {code} minisign public key {key_id_of(key)}\n{public_b64}\n"


def fingerprint(public_b64: str) -> str:
    return key_id_of(minisign.PublicKey.from_base64(public_b64))


def sign(secret: minisign.SecretKey, data: bytes, comment: str) -> bytes:
    """A minisign signature file (.minisig) of ``data`` (prehashed, minisign's default)."""
    return bytes(secret.sign(data, trusted_comment=comment, untrusted_comment="signature from TrustFund Desk")) + b"\n"


def signature_key_id(signature: bytes) -> str:
    sig = minisign.Signature.from_bytes(signature.strip())
    return sig._key_id[::-1].hex().upper()


def verify(public_b64: str, data: bytes, signature: bytes) -> bool:
    try:
        minisign.PublicKey.from_base64(public_b64).verify(data, minisign.Signature.from_bytes(signature.strip()))
        return True
    except (minisign.Error, ValueError):
        return False


def _raw_public(public_b64: str) -> bytes:
    return bytes(minisign.PublicKey.from_base64(public_b64)._keynum_pk.public_key)


def seal(recipient_public_b64: str, data: bytes) -> bytes:
    curve = nacl.signing.VerifyKey(_raw_public(recipient_public_b64)).to_curve25519_public_key()
    return nacl.public.SealedBox(curve).encrypt(data)


def unseal(secret: minisign.SecretKey, data: bytes) -> bytes | None:
    """The plain content, or None when it was not sealed to this key (or was altered)."""
    seed = bytes(secret._keynum_sk.secret_key)
    curve = nacl.signing.SigningKey(seed).to_curve25519_private_key()
    try:
        return nacl.public.SealedBox(curve).decrypt(data)
    except nacl.exceptions.CryptoError:
        return None


def backup_private_keys(codes_and_ids: list[tuple[str, str]], dest: Path) -> list[Path]:
    """Copy the office's secret key files beside a backup (``dest`` is the backup file): without
    them a restored office could not sign its packages. Each copy stays 0600."""
    copies = []
    for code, key_id in codes_and_ids:
        source = secret_key_path(code, key_id)
        if not source.exists():
            continue
        target = Path(f"{dest}.{code}-{key_id}.key")
        target.unlink(missing_ok=True)
        _write_private(target, source.read_bytes())
        copies.append(target)
    return copies


def restore_private_key(copy: Path, code: str, key_id: str) -> Path:
    """Put a backed-up secret key back where the office looks for it."""
    target = secret_key_path(code, key_id)
    if not target.exists():
        _write_private(target, Path(copy).read_bytes())
    shutil.copymode(target, target)
    return target
