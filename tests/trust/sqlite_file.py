"""Read a SQLite database file byte by byte, as whoever copies the data folder can.

Nothing here goes through SQLite: the file format (https://www.sqlite.org/fileformat.html)
is parsed directly, so the tests see what a copy of the file holds, not what SQL answers.
Enough of the format for Suara's tables: the header, B-tree pages (cell pointer array, cell
offsets, freeblocks, the unallocated gap), records, the freelist and the write-ahead log.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

LEAF_INDEX, LEAF_TABLE, INTERIOR_INDEX, INTERIOR_TABLE = 10, 13, 2, 5
WAL_HEADER, WAL_FRAME_HEADER = 32, 24


def varint(data: bytes, at: int) -> tuple[int, int]:
    """SQLite's big-endian varint at `at`: (value, position after it)."""
    value = 0
    for i in range(8):
        byte = data[at + i]
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + i + 1
    return (value << 8) | data[at + 8], at + 9


def record(payload: bytes) -> list[object]:
    """The values of a record (header of serial types, then the body)."""
    header_size, at = varint(payload, 0)
    types = []
    while at < header_size:
        serial, at = varint(payload, at)
        types.append(serial)
    body = header_size
    values: list[object] = []
    sizes = {0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8, 7: 8, 8: 0, 9: 0}
    for serial in types:
        size = sizes[serial] if serial < 12 else (serial - 12) // 2
        raw = payload[body : body + size]
        if serial == 0:
            values.append(None)
        elif serial in (8, 9):
            values.append(serial - 8)
        elif serial < 7:
            values.append(int.from_bytes(raw, "big", signed=True))
        elif serial == 7:
            values.append(struct.unpack(">d", raw)[0])
        elif serial % 2:
            values.append(raw.decode("utf-8", "replace"))
        else:
            values.append(raw)
        body += size
    return values


@dataclass
class Cell:
    page: int
    offset: int  # where the cell starts in its page: lower means written later
    values: list[object]


@dataclass
class Page:
    number: int
    kind: int
    cells: list[Cell] = field(default_factory=list)
    children: list[int] = field(default_factory=list)
    # Bytes of the page that hold no live cell: the gap and the freeblocks.
    unused: bytes = b""


class SqliteFile:
    """The pages of one database file (or of its page images in a write-ahead log)."""

    def __init__(self, data: bytes) -> None:
        if data[:16] != b"SQLite format 3\x00":
            raise ValueError("not a SQLite database file")
        self.data = data
        size = int.from_bytes(data[16:18], "big")
        self.page_size = 65536 if size == 1 else size
        self.usable = self.page_size - data[20]
        self.page_count = len(data) // self.page_size

    @classmethod
    def read(cls, path: Path) -> SqliteFile:
        """The database as a reader of the copied folder sees it: the file with the current
        frames of its write-ahead log (those of the log header's generation) laid over it."""
        data = bytearray(path.read_bytes())
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size > WAL_HEADER:
            log = wal.read_bytes()
            page_size = int.from_bytes(log[8:12], "big")
            salts = log[16:24]
            for number, image, frame_salts in _frames(log, page_size):
                if frame_salts != salts:
                    continue  # a stale frame of an earlier generation
                end = number * page_size
                if len(data) < end:
                    data.extend(bytes(end - len(data)))
                data[end - page_size : end] = image
        return cls(bytes(data))

    def raw(self, number: int) -> bytes:
        start = (number - 1) * self.page_size
        return self.data[start : start + self.page_size]

    def _local(self, payload_size: int, leaf_table: bool) -> int:
        u = self.usable
        x = u - 35 if leaf_table else ((u - 12) * 64 // 255) - 23
        if payload_size <= x:
            return payload_size
        m = ((u - 12) * 32 // 255) - 23
        k = m + ((payload_size - m) % (u - 4))
        return k if k <= x else m

    def page(self, number: int) -> Page:
        data = self.raw(number)
        head = 100 if number == 1 else 0
        kind = data[head]
        if kind not in (LEAF_INDEX, LEAF_TABLE, INTERIOR_INDEX, INTERIOR_TABLE):
            raise ValueError(f"page {number} is not a B-tree page (flag {kind})")
        first_free, count, content, _fragments = struct.unpack(">HHHB", data[head + 1 : head + 8])
        content = content or 65536
        interior = kind in (INTERIOR_INDEX, INTERIOR_TABLE)
        pointers = head + (12 if interior else 8)
        page = Page(number, kind)
        if interior:
            page.children.append(int.from_bytes(data[head + 8 : head + 12], "big"))
        for i in range(count):
            (offset,) = struct.unpack(">H", data[pointers + 2 * i : pointers + 2 * i + 2])
            at = offset
            if interior:
                page.children.insert(-1, int.from_bytes(data[at : at + 4], "big"))
                at += 4
            if kind == INTERIOR_TABLE:
                continue  # a child pointer and a rowid key, no record
            size, at = varint(data, at)
            if kind == LEAF_TABLE:
                rowid, at = varint(data, at)
            local = self._local(size, kind == LEAF_TABLE)
            values = record(data[at : at + local]) if local == size else []
            if kind == LEAF_TABLE:
                values = [rowid, *values]
            page.cells.append(Cell(number, offset, values))
        # The unallocated gap between the cell pointer array and the cell content area, and
        # each freeblock (a chain of freed spaces inside the content area).
        unused = [data[pointers + 2 * count : content]]
        free = first_free
        while free:
            next_free, length = struct.unpack(">HH", data[free : free + 4])
            unused.append(data[free + 4 : free + length])
            free = next_free
        page.unused = b"".join(unused)
        return page

    def tree(self, root: int) -> list[Page]:
        """Every page of the B-tree rooted at `root`, the root first."""
        pages, todo = [], [root]
        while todo:
            page = self.page(todo.pop(0))
            pages.append(page)
            todo.extend(page.children)
        return pages

    def schema(self) -> dict[str, tuple[str, int]]:
        """name -> (type, root page), read from sqlite_schema's own B-tree on page 1."""
        found = {}
        for page in self.tree(1):
            for cell in page.cells:
                _rowid, kind, name, _table, root, *_ = cell.values
                if isinstance(root, int) and root:
                    found[str(name)] = (str(kind), root)
        return found

    def freelist(self) -> list[int]:
        """The pages on the freelist: trunk pages and the leaves they list."""
        pages, trunk = [], int.from_bytes(self.data[32:36], "big")
        while trunk:
            data = self.raw(trunk)
            pages.append(trunk)
            leaves = int.from_bytes(data[4:8], "big")
            pages += [int.from_bytes(data[8 + 4 * i : 12 + 4 * i], "big") for i in range(leaves)]
            trunk = int.from_bytes(data[0:4], "big")
        return pages


def _frames(log: bytes, page_size: int) -> list[tuple[int, bytes, bytes]]:
    frames, at = [], WAL_HEADER
    while at + WAL_FRAME_HEADER + page_size <= len(log):
        number = int.from_bytes(log[at : at + 4], "big")
        salts = log[at + 8 : at + 16]
        image = log[at + WAL_FRAME_HEADER : at + WAL_FRAME_HEADER + page_size]
        frames.append((number, image, salts))
        at += WAL_FRAME_HEADER + page_size
    return frames


def wal_frames(path: Path) -> list[tuple[int, bytes]]:
    """(page number, page image) of every frame the write-ahead log file holds, current or
    stale (the bytes are there either way)."""
    if not path.exists() or path.stat().st_size < WAL_HEADER:
        return []
    log = path.read_bytes()
    page_size = int.from_bytes(log[8:12], "big")
    return [(number, image) for number, image, _ in _frames(log, page_size)]


def in_order_fraction(offsets: dict[str, tuple[int, int]], cast_order: list[str]) -> float:
    """Of the pairs of ballots on one page, the share whose byte offsets follow the order of
    casting (SQLite writes a new cell below the ones before it: later cast, lower offset).

    `offsets` maps a ballot id to (page, offset). About 0.5 when offsets say nothing.
    """
    rank = {ballot: i for i, ballot in enumerate(cast_order)}
    by_page: dict[int, list[tuple[int, int]]] = {}
    for ballot, (page, offset) in offsets.items():
        by_page.setdefault(page, []).append((offset, rank[ballot]))
    agree = pairs = 0
    for cells in by_page.values():
        for i, (offset_a, rank_a) in enumerate(cells):
            for offset_b, rank_b in cells[i + 1 :]:
                pairs += 1
                agree += (offset_a > offset_b) == (rank_a < rank_b)
    if not pairs:
        raise AssertionError("no two ballots share a page: nothing to measure")
    return agree / pairs


# The write-ahead log's index (the -shm file): blocks of 32 KiB, each a page-number array
# (one 32-bit entry per frame, native order; the first block's shorter, after the headers)
# then a hash table.
SHM_BLOCK, SHM_HEADER, SHM_FIRST, SHM_ENTRIES = 32768, 136, 4062, 4096


def wal_index(path: Path) -> tuple[int, list[int]]:
    """(frames in the current log, every page number the index holds, stale or not)."""
    if not path.exists() or path.stat().st_size < SHM_BLOCK:
        return 0, []
    data = path.read_bytes()
    frames = int.from_bytes(data[16:20], "little")  # mxFrame of the index header
    pages = []
    for block in range(len(data) // SHM_BLOCK):
        start = SHM_HEADER if block == 0 else block * SHM_BLOCK
        count = SHM_FIRST if block == 0 else SHM_ENTRIES
        entries = struct.unpack(f"<{count}I", data[start : start + 4 * count])
        pages += [page for page in entries if page]
    return frames, pages
