"""A minimal reader for OLE compound files (.xls, encrypted Office files): stream names and bytes.

Only what the safety checks need; every chain walk is bounded so a hostile file cannot loop.
"""

from __future__ import annotations

import struct

SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END = 0xFFFFFFFE
_FREE = 0xFFFFFFFF


class CfbError(ValueError):
    pass


class CompoundFile:
    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or not data.startswith(SIGNATURE):
            raise CfbError("not an OLE compound file")
        self._data = data
        shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
        if shift not in (9, 12) or mini_shift != 6:
            raise CfbError("unexpected sector sizes")
        self._sector = 1 << shift
        self._mini_sector = 1 << mini_shift
        (n_fat, first_dir, _sig, self._cutoff, first_minifat, n_minifat, first_difat, n_difat) = (
            struct.unpack_from("<8I", data, 0x2C)
        )
        self._max_sectors = len(data) // self._sector + 1
        fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s != _FREE]
        per_difat = self._sector // 4 - 1
        sector, seen = first_difat, 0
        while sector not in (_END, _FREE) and seen < min(n_difat, self._max_sectors):
            entries = struct.unpack_from(f"<{per_difat + 1}I", self._sector_bytes(sector))
            fat_sectors += [s for s in entries[:-1] if s != _FREE]
            sector, seen = entries[-1], seen + 1
        fat_sectors = fat_sectors[: max(n_fat, 0) or len(fat_sectors)]
        self._fat = [
            entry
            for s in fat_sectors
            for entry in struct.unpack(f"<{self._sector // 4}I", self._sector_bytes(s))
        ]
        self._entries = self._read_directory(first_dir)
        root = self._entries.get("Root Entry")
        self._mini_stream = self._chain_bytes(root[0], root[1]) if root else b""
        self._minifat = (
            list(struct.unpack(f"<{len(raw) // 4}I", raw))
            if n_minifat and (raw := self._chain_bytes(first_minifat, None))
            else []
        )

    def stream_names(self) -> set[str]:
        return {name for name in self._entries if name != "Root Entry"}

    def read_stream(self, name: str) -> bytes:
        if name not in self._entries:
            raise CfbError(f"no stream {name!r}")
        start, size = self._entries[name]
        if size < self._cutoff:
            return self._mini_chain_bytes(start, size)
        return self._chain_bytes(start, size)

    def _sector_bytes(self, sector: int) -> bytes:
        offset = (sector + 1) * self._sector
        if offset + self._sector > len(self._data):  # also a sector cut off by a truncation
            raise CfbError("the file is truncated (a sector lies past its end)")
        return self._data[offset : offset + self._sector]

    def _chain(self, start: int, table: list[int]) -> list[int]:
        chain: list[int] = []
        sector = start
        while sector not in (_END, _FREE):
            if sector >= len(table) or len(chain) > len(table):
                raise CfbError("broken sector chain")
            chain.append(sector)
            sector = table[sector]
        return chain

    def _chain_bytes(self, start: int, size: int | None) -> bytes:
        data = b"".join(self._sector_bytes(s) for s in self._chain(start, self._fat))
        return data if size is None else data[:size]

    def _mini_chain_bytes(self, start: int, size: int) -> bytes:
        step = self._mini_sector
        parts = [
            self._mini_stream[s * step : (s + 1) * step] for s in self._chain(start, self._minifat)
        ]
        return b"".join(parts)[:size]

    def _read_directory(self, first_dir: int) -> dict[str, tuple[int, int]]:
        raw = self._chain_bytes(first_dir, None)
        entries: dict[str, tuple[int, int]] = {}
        for offset in range(0, len(raw) - 127, 128):
            name_len, kind = struct.unpack_from("<HB", raw, offset + 64)
            if kind not in (1, 2, 5) or not 2 <= name_len <= 64:
                continue
            name = raw[offset : offset + name_len - 2].decode("utf-16-le", "replace")
            start, size = struct.unpack_from("<IQ", raw, offset + 116)
            if self._sector == 512:
                size &= 0xFFFFFFFF  # version 3 files leave the high half undefined
            entries.setdefault(name, (start, size))
        return entries
