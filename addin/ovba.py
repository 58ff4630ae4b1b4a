"""A vbaProject.bin made from VBA source text, as [MS-OVBA] describes it, without Excel.

The project holds no compiled code: its _VBA_PROJECT stream has version 0xFFFF and no performance
cache, and every module's source starts at offset 0 of its stream, which is how [MS-OVBA] 2.3.4.1 says a
writer makes a project that the VBA host compiles from source when it first opens it.

- compress / decompress: [MS-OVBA] 2.4.1 (the RLE/LZ77 scheme of the dir and module streams);
- encrypt: [MS-OVBA] 2.4.3.2 "Data Encryption", for the CMG, DPB and GC lines of the PROJECT stream;
- vba_project: the whole file (PROJECT, PROJECTwm, VBA/_VBA_PROJECT, VBA/dir and one stream per module).

Text is encoded in the project's code page (1252) with CRLF line endings.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

from addin import cfb

CODE_PAGE = 1252
ENCODING = "cp1252"
DOCUMENT, PROCEDURAL = "document", "procedural"

# Type libraries every Excel project references (VBA and Excel themselves are the host's).
REFERENCES = (
    ("stdole", "*\\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\\Windows\\System32\\stdole2.tlb#OLE Automation"),
    ("Office", "*\\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#C:\\Program Files\\Common Files\\Microsoft Shared"
               "\\OFFICE16\\MSO.DLL#Microsoft Office 16.0 Object Library"),
)


@dataclass(frozen=True)
class Module:
    """A VBA module: its name, kind (document or procedural) and source text (with its Attribute lines)."""

    name: str
    kind: str
    source: str

    def stored(self) -> bytes:
        text = self.source.replace("\r\n", "\n").replace("\n", "\r\n")
        return text.encode(ENCODING)


# ---------------------------------------------------------------- [MS-OVBA] 2.4.1 compression

def _copy_token_help(offset_in_chunk: int) -> tuple[int, int]:
    """(bit count of the offset, largest length) for a copy token at this position in a chunk."""
    bits = max((offset_in_chunk - 1).bit_length(), 4)
    return bits, (0xFFFF >> bits) + 3


def _compress_chunk(data: bytes) -> bytes:
    """One chunk (at most 4,096 bytes): its compressed form, or its raw form when that is no longer."""
    out = bytearray()
    position = 0
    recent: dict[bytes, list[int]] = {}
    while position < len(data):
        flags, tokens = 0, bytearray()
        for bit in range(8):
            if position >= len(data):
                break
            bits, longest = _copy_token_help(position)
            best_length, best_offset = 0, 0
            for candidate in reversed(recent.get(data[position:position + 3], [])[-64:]):
                length = 0
                limit = min(longest, len(data) - position)
                while length < limit and data[candidate + length] == data[position + length]:
                    length += 1
                if length > best_length:
                    best_length, best_offset = length, position - candidate
                    if length == limit:
                        break
            step = best_length if best_length >= 3 else 1
            if best_length >= 3:
                flags |= 1 << bit
                tokens += struct.pack("<H", ((best_offset - 1) << (16 - bits)) | (best_length - 3))
            else:
                tokens.append(data[position])
            for start in range(position, position + step):
                recent.setdefault(data[start:start + 3], []).append(start)
            position += step
        out.append(flags)
        out += tokens
    if len(out) > 4096:  # incompressible: a raw chunk, which must hold exactly 4,096 bytes
        if len(data) < 4096:
            raise ValueError("a short final chunk that does not compress cannot be stored (it is VBA text, "
                             "which always compresses)")
        return struct.pack("<H", 0x3000 | 4095) + data
    return struct.pack("<H", 0xB000 | (len(out) - 1)) + out


def compress(data: bytes) -> bytes:
    """[MS-OVBA] 2.4.1.1 CompressedContainer of `data`."""
    return b"\x01" + b"".join(_compress_chunk(data[start:start + 4096]) for start in range(0, len(data), 4096))


def decompress(container: bytes) -> bytes:
    """The data of a CompressedContainer (the inverse of compress)."""
    if not container or container[0] != 1:
        raise ValueError("not a compressed container (no signature byte 1)")
    out = bytearray()
    position = 1
    while position < len(container):
        header = struct.unpack_from("<H", container, position)[0]
        size, compressed = (header & 0x0FFF) + 3, header & 0x8000
        chunk_end = position + size
        position += 2
        start = len(out)
        if not compressed:
            out += container[position:position + 4096]
            position += 4096
            continue
        while position < chunk_end:
            flags = container[position]
            position += 1
            for bit in range(8):
                if position >= chunk_end:
                    break
                if flags & (1 << bit):
                    token = struct.unpack_from("<H", container, position)[0]
                    position += 2
                    bits, _ = _copy_token_help(len(out) - start)
                    offset, length = (token >> (16 - bits)) + 1, (token & (0xFFFF >> bits)) + 3
                    for _ in range(length):
                        out.append(out[-offset])
                else:
                    out.append(container[position])
                    position += 1
    return bytes(out)


# ---------------------------------------------------------------- [MS-OVBA] 2.4.3.2 data encryption

def encrypt(project_id: str, data: bytes, seed: int) -> str:
    """The hex text of `data` encrypted as the PROJECT stream's CMG, DPB and GC lines hold it. The seed (and
    so the bytes [MS-OVBA] lets a writer choose freely) comes from the caller, so a build is reproducible."""
    version = 2
    key = sum(project_id.encode(ENCODING)) & 0xFF
    out = bytearray([seed, version ^ seed, key ^ seed])
    plain, previous, before = key, key ^ seed, version ^ seed
    for index in range((seed & 6) // 2):
        ignored = (seed * 31 + index * 17) & 0xFF
        encrypted = ignored ^ ((before + plain) & 0xFF)
        out.append(encrypted)
        before, previous, plain = previous, encrypted, ignored
    for byte in struct.pack("<I", len(data)) + data:
        encrypted = byte ^ ((before + plain) & 0xFF)
        out.append(encrypted)
        before, previous, plain = previous, encrypted, byte
    return out.hex().upper()


# ---------------------------------------------------------------- the streams

def _record(record_id: int, data: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(data)) + data


def _text(text: str) -> bytes:
    return text.encode(ENCODING)


def _unicode(text: str) -> bytes:
    return text.encode("utf-16-le")


def dir_stream(project_name: str, modules: list[Module]) -> bytes:
    """[MS-OVBA] 2.3.4.2 dir stream (before compression)."""
    out = bytearray()
    out += _record(0x0001, struct.pack("<I", 1))                      # PROJECTSYSKIND: 32-bit Windows
    out += _record(0x0002, struct.pack("<I", 0x0409))                 # PROJECTLCID
    out += _record(0x0014, struct.pack("<I", 0x0409))                 # PROJECTLCIDINVOKE
    out += _record(0x0003, struct.pack("<H", CODE_PAGE))              # PROJECTCODEPAGE
    out += _record(0x0004, _text(project_name))                       # PROJECTNAME
    out += _record(0x0005, b"") + _record(0x0040, b"")                # PROJECTDOCSTRING
    out += _record(0x0006, b"") + _record(0x003D, b"")                # PROJECTHELPFILEPATH
    out += _record(0x0007, struct.pack("<I", 0))                      # PROJECTHELPCONTEXT
    out += _record(0x0008, struct.pack("<I", 0))                      # PROJECTLIBFLAGS
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)                      # PROJECTVERSION 1.0
    out += _record(0x000C, b"") + _record(0x003C, b"")                # PROJECTCONSTANTS
    for name, libid in REFERENCES:
        out += _record(0x0016, _text(name)) + _record(0x003E, _unicode(name))   # REFERENCENAME
        registered = struct.pack("<I", len(_text(libid))) + _text(libid) + struct.pack("<IH", 0, 0)
        out += _record(0x000D, registered)                            # REFERENCEREGISTERED
    out += _record(0x000F, struct.pack("<H", len(modules)))           # PROJECTMODULES
    out += _record(0x0013, struct.pack("<H", 0xFFFF))                 # PROJECTCOOKIE
    for module in modules:
        out += _record(0x0019, _text(module.name)) + _record(0x0047, _unicode(module.name))
        out += _record(0x001A, _text(module.name)) + _record(0x0032, _unicode(module.name))
        out += _record(0x001C, b"") + _record(0x0048, b"")            # MODULEDOCSTRING
        out += _record(0x0031, struct.pack("<I", 0))                  # MODULEOFFSET: source at 0, no cache
        out += _record(0x001E, struct.pack("<I", 0))                  # MODULEHELPCONTEXT
        out += _record(0x002C, struct.pack("<H", 0xFFFF))             # MODULECOOKIE
        out += _record(0x0022 if module.kind == DOCUMENT else 0x0021, b"")  # MODULETYPE
        out += _record(0x002B, b"")                                   # terminator
    out += _record(0x0010, b"")                                       # dir terminator
    return bytes(out)


def project_stream(project_name: str, project_id: str, modules: list[Module]) -> bytes:
    """[MS-OVBA] 2.3.1 PROJECT stream: the project's properties as text."""
    seed = int(hashlib.sha256(project_id.encode()).hexdigest()[:2], 16)
    not_protected = encrypt(project_id, struct.pack("<I", 0), seed)
    no_password = encrypt(project_id, b"\x00", seed ^ 0x55)
    visible = encrypt(project_id, b"\xff", seed ^ 0xAA)
    lines = [f'ID="{project_id}"']
    for module in modules:
        lines.append(f"Document={module.name}/&H00000000" if module.kind == DOCUMENT else f"Module={module.name}")
    lines += [
        f'Name="{project_name}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{not_protected}"',
        f'DPB="{no_password}"',
        f'GC="{visible}"',
        "",
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
        "[Workspace]",
        *(f"{module.name}=0, 0, 0, 0, C" for module in modules),
        "",
    ]
    return "\r\n".join(lines).encode(ENCODING)


def project_wm_stream(modules: list[Module]) -> bytes:
    """[MS-OVBA] 2.3.3 PROJECTwm stream: each module's name in the code page and in UTF-16."""
    return b"".join(_text(m.name) + b"\0" + _unicode(m.name) + b"\0\0" for m in modules) + b"\0\0"


VBA_PROJECT_STREAM = struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0000)  # [MS-OVBA] 2.3.4.1, no cache


def vba_project(project_name: str, modules: list[Module]) -> bytes:
    """The vbaProject.bin of `modules`. Its project ID is derived from the name (a reproducible build)."""
    digest = hashlib.sha256(project_name.encode()).hexdigest().upper()
    project_id = f"{{{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}}}"
    root = cfb.Storage("Root Entry")
    root.add("PROJECT", project_stream(project_name, project_id, modules))
    root.add("PROJECTwm", project_wm_stream(modules))
    root.add("VBA/_VBA_PROJECT", VBA_PROJECT_STREAM)
    root.add("VBA/dir", compress(dir_stream(project_name, modules)))
    for module in modules:
        root.add(f"VBA/{module.name}", compress(module.stored()))
    return cfb.write(root)
