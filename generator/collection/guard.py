"""Hostile-file guards: refuse a file before any parser sees it.

All checks run before parsing, so time and memory are bounded by `Limits`: file size; .xlsm
and VBA projects; legacy .xls and password-protected (OLE2) files; files that are not a zip or are
truncated; too many members, too large when uncompressed (checked by actually decompressing,
in bounded chunks, not by trusting the header), suspicious compression ratios; XML with a DTD
or entity declarations (entity expansion).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from scorecard.errors import ScorecardError


@dataclass(frozen=True)
class Limits:
    """What a return may be before it is refused (bounded time and memory)."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_members: int = 500
    max_member_bytes: int = 100 * 1024 * 1024
    max_total_bytes: int = 200 * 1024 * 1024
    max_ratio: float = 200.0  # uncompressed/compressed, for members over ratio_floor bytes
    ratio_floor: int = 1024 * 1024


DEFAULT_LIMITS = Limits()


class Refused(ScorecardError):
    """A file refused before reading: the message says why."""


OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_ENTITY_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")


def guard_file(path: Path | str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """Return the file's bytes if it is safe to parse; raise Refused saying why not."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsm":
        raise Refused("macro-enabled workbook (.xlsm) refused: save it as .xlsx "
                      "(Excel Workbook) and send that")
    try:
        size = path.stat().st_size
    except OSError as error:
        raise Refused(f"cannot read the file: {error.strerror or error}") from None
    if size > limits.max_file_bytes:
        raise Refused(f"file is {size:,} bytes, over the {limits.max_file_bytes:,}-byte limit")
    if size == 0:
        raise Refused("file is empty (0 bytes)")
    data = path.read_bytes()
    if data.startswith(OLE2_MAGIC):
        if is_password_protected(data, path.name):
            raise Refused(PASSWORD_PROTECTED)
        raise Refused("legacy Excel 97-2003 (.xls) workbook refused: fill the .xlsx template "
                      "that was sent to you")
    if not data.startswith(ZIP_MAGIC):
        raise Refused("not an Excel .xlsx workbook (it is not a zip file): fill the .xlsx "
                      "template that was sent to you")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError, OSError):
        raise Refused("damaged or truncated workbook (the zip cannot be read): "
                      "send the file again") from None
    with archive:
        members = archive.infolist()
        if len(members) > limits.max_members:
            raise Refused(f"workbook has {len(members):,} parts, over the limit of "
                          f"{limits.max_members:,} (possible zip bomb)")
        names = {m.filename.lower() for m in members}
        if any(n.endswith("vbaproject.bin") for n in names):
            raise Refused("workbook contains macros (a VBA project) refused: save it as "
                          ".xlsx without macros")
        declared = sum(m.file_size for m in members)
        if declared > limits.max_total_bytes:
            raise Refused(f"workbook would be {declared:,} bytes uncompressed, over the limit "
                          f"of {limits.max_total_bytes:,} (possible zip bomb)")
        total = 0
        for member in members:
            if member.flag_bits & 0x1:
                raise Refused("workbook has encrypted parts: remove the password and send again")
            if (member.file_size > limits.ratio_floor
                    and member.file_size > limits.max_ratio * max(member.compress_size, 1)):
                raise Refused(f"part {member.filename} compresses {member.file_size:,} bytes "
                              f"into {member.compress_size:,} (over {limits.max_ratio:.0f}:1; "
                              "possible zip bomb)")
            total += _check_member(archive, member, limits, total)
        content_types = _read_member(archive, "[Content_Types].xml", limits)
        if content_types is not None and b"macroEnabled" in content_types:
            raise Refused("macro-enabled workbook refused: save it as .xlsx (Excel Workbook)")
    return data


PASSWORD_PROTECTED = ("password-protected (encrypted) workbook refused: Scorecard cannot open a workbook "
                      "that needs a password. Please send it again without the password (in Excel: "
                      "File > Info > Protect Workbook > Encrypt with Password, clear the password, save)")


def is_password_protected(data: bytes, name: str = "") -> bool:
    """An OLE2 file that is an encrypted Office package (its EncryptionInfo/EncryptedPackage streams),
    or any OLE2 file saved under an .xlsx name: Excel writes an .xlsx with a password to open as
    OLE2, never an unencrypted one."""
    names = ("EncryptionInfo", "EncryptedPackage")
    if any(n.encode("utf-16-le") in data or n.encode("ascii") in data for n in names):
        return True
    return Path(name).suffix.lower() in (".xlsx", ".xlsm")


def _check_member(archive, member, limits, total_so_far) -> int:
    """Decompress one member in bounded chunks (never trusting its header); return its size."""
    size = 0
    tail = b""
    is_xml = member.filename.lower().endswith((".xml", ".rels", ".vml"))
    try:
        with archive.open(member) as handle:
            while chunk := handle.read(1 << 20):
                size += len(chunk)
                if size > limits.max_member_bytes or total_so_far + size > limits.max_total_bytes:
                    raise Refused(f"part {member.filename} is over the size limit when "
                                  "uncompressed (possible zip bomb)")
                if is_xml:
                    window = tail + chunk
                    if any(marker in window for marker in _ENTITY_MARKERS):
                        raise Refused(f"part {member.filename} declares a DTD or XML entities "
                                      "(possible entity-expansion attack); refused")
                    tail = chunk[-16:]
    except Refused:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as error:
        raise Refused(f"damaged or truncated workbook (part {member.filename}: {error})") from None
    return size


def _read_member(archive, name, limits) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > limits.max_member_bytes:
        raise Refused(f"part {name} is over the size limit")
    return archive.read(info)
