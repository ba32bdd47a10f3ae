"""The document contents a package carries beside its changes (``files/<sha256>.sealed``).

The manifest's hash of each member is checked with the others (``apply._check``); here each is
unsealed and its bytes checked against the hash it is named by, every document the changes
attach must have its content (in the package or already here), and the contents are stored once
each (``documents.store_content``): a content received twice, or attached here already, is kept
once. A content is stored also for a document that became a conflict: keeping their version
later needs it.
"""

from __future__ import annotations

from sqlalchemy import select

from trustfund_app.core.i18n import _
from trustfund_app.core.models import DocumentContent
from trustfund_app.core.offices import keys, package
from trustfund_app.core.offices.package import PackageRefused
from trustfund_app.core.services.documents import store_content


def unsealed_files(pkg: package.PackageFile, secret) -> dict[str, bytes]:
    """{sha256: bytes} of the package's file members, each checked against its name."""
    out = {}
    for name, sealed in sorted(pkg.members.items()):
        if not name.startswith(package.FILES):
            continue
        digest = package.file_digest(name)
        if digest is None:
            raise PackageRefused("format", _("this file is not a TrustFund Desk change package"))
        plain = keys.unseal(secret, sealed)
        if plain is None:
            raise PackageRefused("sealed", _("this package was not sealed to this office's key: refused"))
        if package.sha256(plain) != digest:
            raise PackageRefused("altered", altered_file(digest))
        out[digest] = plain
    return out


def altered_file(digest: str) -> str:
    return _("this package was altered after it was signed: the document content {sha} does not match its hash").format(
        sha=digest[:12])


def store_files(session, files: dict[str, bytes], changes) -> None:
    """Store the carried contents; refuse a package whose documents name a content found nowhere."""
    wanted = {}
    for change in changes:
        after = change.after or {}
        if change.entity == "document" and after.get("sha256"):
            wanted.setdefault(after["sha256"], after.get("file_name") or change.entity_id)
    missing = sorted(set(wanted) - set(files))
    for start in range(0, len(missing), 200):
        chunk = missing[start:start + 200]
        here = set(session.scalars(select(DocumentContent.sha256).where(DocumentContent.sha256.in_(chunk))))
        lacking = [d for d in chunk if d not in here]
        if lacking:
            raise PackageRefused("files", _("this package lacks the content of document {name} ({sha}): refused")
                                 .format(name=wanted[lacking[0]], sha=lacking[0][:12]))
    for digest in sorted(set(wanted) & set(files)):  # a member no change refers to is not kept
        store_content(session, digest, files[digest])
