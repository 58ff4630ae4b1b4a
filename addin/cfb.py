"""A writer of Compound File Binary files ([MS-CFB] version 3), the container a vbaProject.bin is.

Small and deterministic: 512-byte sectors, streams under 4,096 bytes in the mini stream, no timestamps,
no free sectors left behind. Each storage's children form a balanced binary tree in the order
[MS-CFB] 2.6.4 gives (shorter names first, then by upper-case UTF-16), coloured as a valid red-black
tree (the deepest level red when it is not full). olefile and oletools read the result.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
FREESECT, ENDOFCHAIN, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF
SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1


@dataclass
class Storage:
    """A storage: named streams (bytes) and storages."""

    name: str
    children: dict[str, Storage | bytes] = field(default_factory=dict)

    def add(self, path: str, data: bytes) -> None:
        """Add a stream at a path such as 'VBA/dir'."""
        head, _, rest = path.partition("/")
        if rest:
            child = self.children.setdefault(head, Storage(head))
            if not isinstance(child, Storage):
                raise ValueError(f"{head} is a stream, not a storage")
            child.add(rest, data)
        else:
            self.children[head] = bytes(data)


def _order(name: str) -> tuple[int, str]:
    return len(name), name.upper()


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = _BLACK
    start: int = ENDOFCHAIN
    size: int = 0


def _flatten(root: Storage) -> list[_Entry]:
    entries = [_Entry("Root Entry", _ROOT)]

    def place(storage: Storage, owner: int) -> None:
        names = sorted(storage.children, key=_order)
        ids = []
        for name in names:
            child = storage.children[name]
            ids.append(len(entries))
            entries.append(_Entry(name, _STORAGE if isinstance(child, Storage) else _STREAM,
                                  b"" if isinstance(child, Storage) else child))
        deepest = _depth(len(ids))
        perfect = len(ids) == (1 << (deepest + 1)) - 1
        entries[owner].child = _tree(entries, ids, 0, deepest if not perfect else -1)
        for entry_id, name in zip(ids, names, strict=True):
            child = storage.children[name]
            if isinstance(child, Storage):
                place(child, entry_id)

    place(root, 0)
    return entries


def _depth(count: int) -> int:
    depth = 0
    while (1 << (depth + 1)) - 1 < count:
        depth += 1
    return depth  # the deepest level of a balanced tree of `count` nodes (root: 0)


def _tree(entries: list[_Entry], ids: list[int], level: int, red_level: int) -> int:
    """The balanced tree of ids (sorted), its root's id. The halves differ in size by at most one, so every
    empty link is on the last two levels; colouring the deepest level red (`red_level`, -1 for a full tree)
    gives every path the same number of black nodes."""
    if not ids:
        return NOSTREAM
    middle = len(ids) // 2
    node = entries[ids[middle]]
    node.color = _RED if level == red_level else _BLACK
    node.left = _tree(entries, ids[:middle], level + 1, red_level)
    node.right = _tree(entries, ids[middle + 1:], level + 1, red_level)
    return ids[middle]


def _chain(fat: list[int], start: int, count: int) -> None:
    for index in range(start, start + count):
        fat[index] = index + 1 if index + 1 < start + count else ENDOFCHAIN


def _pad(data: bytes, size: int) -> bytes:
    return data + b"\0" * (-len(data) % size)


def write(root: Storage) -> bytes:
    """The compound file holding `root`'s streams and storages."""
    entries = _flatten(root)
    # Small streams go into the mini stream, in directory order.
    mini, mini_fat = b"", []
    for entry in entries:
        if entry.kind == _STREAM and len(entry.data) < MINI_CUTOFF:
            entry.size = len(entry.data)
            if entry.size:
                entry.start = len(mini) // MINI_SECTOR
                sectors = -(-entry.size // MINI_SECTOR)
                mini_fat.extend(range(entry.start + 1, entry.start + sectors))
                mini_fat.append(ENDOFCHAIN)
                mini += _pad(entry.data, MINI_SECTOR)
    # Regular sectors: large streams, the mini stream, the mini FAT, the directory, then the FAT.
    body: list[bytes] = []
    fat: list[int] = []

    def allocate(data: bytes) -> int:
        count = -(-len(data) // SECTOR)
        start = len(fat)
        fat.extend([0] * count)
        _chain(fat, start, count)
        body.append(_pad(data, SECTOR))
        return start

    for entry in entries:
        if entry.kind == _STREAM and len(entry.data) >= MINI_CUTOFF:
            entry.size = len(entry.data)
            entry.start = allocate(entry.data)
    if mini:
        entries[0].start, entries[0].size = allocate(mini), len(mini)
    mini_fat_bytes = b""
    if mini_fat:
        mini_fat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat)
        mini_fat_bytes += b"\xff" * (-len(mini_fat_bytes) % SECTOR)  # FREESECT
    first_mini_fat = allocate(mini_fat_bytes) if mini_fat_bytes else ENDOFCHAIN
    directory = b"".join(_entry_bytes(entry) for entry in entries)
    directory += _entry_bytes(None) * (-len(entries) % (SECTOR // 128))
    first_directory = allocate(directory)
    # The FAT covers itself: grow it until its sectors are counted too.
    fat_sectors = 0
    while fat_sectors * (SECTOR // 4) < len(fat) + fat_sectors:
        fat_sectors += 1
    if fat_sectors > 109:
        raise ValueError("a vbaProject this large needs DIFAT sectors, which this writer does not make")
    first_fat = len(fat)
    fat.extend([FATSECT] * fat_sectors)
    fat.extend([FREESECT] * (fat_sectors * (SECTOR // 4) - len(fat)))
    header = bytearray(SECTOR)
    struct.pack_into("<8s16sHHHHH6sIIIIIIIII", header, 0, SIGNATURE, b"\0" * 16, 0x003E, 0x0003, 0xFFFE, 9, 6,
                     b"\0" * 6, 0, fat_sectors, first_directory, 0, MINI_CUTOFF, first_mini_fat,
                     len(mini_fat_bytes) // SECTOR, ENDOFCHAIN, 0)
    difat = list(range(first_fat, first_fat + fat_sectors)) + [FREESECT] * (109 - fat_sectors)
    struct.pack_into("<109I", header, 76, *difat)
    return bytes(header) + b"".join(body) + struct.pack(f"<{len(fat)}I", *fat)


def _entry_bytes(entry: _Entry | None) -> bytes:
    if entry is None:
        return struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, b"\0" * 16,
                           0, 0, 0, 0, 0)
    name = entry.name.encode("utf-16-le")
    if len(name) > 62:
        raise ValueError(f"{entry.name!r}: a compound-file name has at most 31 characters")
    start = 0 if entry.kind == _STORAGE else entry.start
    return struct.pack("<64sHBBIII16sIQQIQ", name, len(name) + 2, entry.kind, entry.color, entry.left,
                       entry.right, entry.child, b"\0" * 16, 0, 0, 0, start, entry.size)
