"""The package file: one zip with

- ``manifest.json``: sender, recipient, the sequence range (the sender's audit event numbers),
  the sender's chain hashes at both ends, the schema revision, and the sha256 of every other member;
- ``manifest.json.minisig``: the sender's minisign signature of the manifest's exact bytes, so an
  auditor checks a package with the standard tool: ``unzip p.tfsync manifest.json
  manifest.json.minisig && minisign -Vm manifest.json -p office.pub``;
- ``changes.jsonl.gz.sealed``: the changes in order, one JSON object per line with named columns,
  gzip-compressed, then sealed (PyNaCl sealed box) to the recipient's key: personal data travels
  by e-mail and USB, so only the recipient can read it, while the manifest stays checkable;
- ``files/<sha256>.sealed``: any file a change refers to (a document's content), named by the
  sha256 of its bytes, sealed like the changes; the manifest lists the sha256 of the member as it
  is in the zip, like every other member, and the receiver checks the bytes it unseals against the
  name. A content is carried once per package however many documents share it.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass

from trustfund_app.core.errors import ValidationError

FORMAT = "trustfund-package/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.minisig"
CHANGES = "changes.jsonl.gz.sealed"
SUFFIX = ".tfsync"
FILES = "files/"
_FILE = re.compile(r"files/([0-9a-f]{64})\.sealed")


class PackageRefused(ValidationError):
    """A package that must not be applied; ``reason`` is a short code, the message one line."""

    def __init__(self, reason: str, message: str):
        super().__init__(message, "package")
        self.reason = reason


@dataclass
class PackageFile:
    manifest: dict
    manifest_bytes: bytes
    signature: bytes
    members: dict[str, bytes]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_member(digest: str) -> str:
    """The zip member that carries the content whose sha256 is ``digest``."""
    return f"{FILES}{digest}.sealed"


def file_digest(name: str) -> str | None:
    """The content hash a ``files/`` member is named by (None: not a well-formed file member)."""
    found = _FILE.fullmatch(name)
    return found.group(1) if found else None


def encode_changes(changes: list[dict]) -> bytes:
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    text = "\n".join(dumps(c) for c in changes)
    return gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)


def decode_changes(data: bytes) -> list[dict]:
    text = gzip.decompress(data).decode("utf-8").strip()
    # one JSON object per line, no line breaks inside one: read them as one array (one C call)
    return json.loads("[" + text.replace("\n", ",") + "]") if text else []


def write(manifest: dict, sign, members: dict[str, bytes]) -> bytes:
    """The zip's bytes. ``sign(manifest_bytes) -> signature bytes``; ``manifest`` gets the hashes."""
    manifest = dict(manifest, format=FORMAT, members={name: sha256(data) for name, data in sorted(members.items())})
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8") + b"\n"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr(MANIFEST, manifest_bytes)
        zf.writestr(SIGNATURE, sign(manifest_bytes))
        for name, data in sorted(members.items()):
            zf.writestr(name, data)
    return out.getvalue()


def read(data: bytes, not_a_package: str, altered: str) -> PackageFile:
    """Open a package file's bytes; ``PackageRefused("format", not_a_package)`` when it is none,
    ``PackageRefused("altered", altered)`` when a member fails the zip's own checksum."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if MANIFEST not in names or SIGNATURE not in names:
                raise PackageRefused("format", not_a_package)
            manifest_bytes = zf.read(MANIFEST)
            signature = zf.read(SIGNATURE)
            members = {n: zf.read(n) for n in names - {MANIFEST, SIGNATURE}}
        manifest = json.loads(manifest_bytes)
    except zipfile.BadZipFile as exc:
        raise PackageRefused("altered" if "CRC" in str(exc) else "format", altered if "CRC" in str(exc) else not_a_package)
    except (ValueError, KeyError, OSError, EOFError, NotImplementedError):
        raise PackageRefused("format", not_a_package)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise PackageRefused("format", not_a_package)
    return PackageFile(manifest, manifest_bytes, signature, members)
