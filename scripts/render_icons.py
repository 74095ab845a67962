"""Render resources/icons/planner.svg to the PNG sizes, the Windows .ico and the macOS .icns.

The PNG/ICO/ICNS files in resources/icons are outputs of this script, committed so that builds
need no renderer: edit the SVG, run `.venv/bin/python scripts/render_icons.py`, commit all of them.
`--check` renders in memory and exits 1 when a committed file no longer matches the SVG; pixels
are compared with a small tolerance, so a newer Qt with different anti-aliasing still passes.

Only Qt (QtSvg ships in PySide6-Essentials) is used; it runs offscreen, no screen needed.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SOURCE = ICONS / "planner.svg"
# The hicolor theme sizes a Linux desktop looks up; Windows and macOS take theirs from this set.
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# Windows shell sizes; under 256 px as 32-bit BMP because some tools (old NSIS, resource
# editors) reject PNG-compressed entries, 256 px as PNG as Windows Vista+ expects.
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# (OSType, pixels): PNG payloads, macOS 10.7+; ic10..ic14 are the @2x (Retina) variants.
ICNS_ENTRIES = (
    ("icp4", 16),
    ("icp5", 32),
    ("icp6", 64),
    ("ic07", 128),
    ("ic08", 256),
    ("ic09", 512),
    ("ic10", 1024),
    ("ic11", 32),
    ("ic12", 64),
    ("ic13", 256),
    ("ic14", 512),
)
# Mean absolute channel difference (0-255) above which a committed PNG counts as stale.
TOLERANCE = 2.0


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def bmp_entry(image: QImage) -> bytes:
    """An ICO image entry as a DIB: BITMAPINFOHEADER, BGRA rows bottom-up, then the AND mask.

    The header states twice the height because the (all-zero, alpha does the work) AND mask
    follows the colour rows; mask rows are padded to 32 bits.
    """
    size = image.width()
    bits = bytes(image.constBits())  # ARGB32 in memory is B, G, R, A on little-endian machines
    stride = image.bytesPerLine()
    if sys.byteorder != "little":  # pragma: no cover - every platform we ship on is little-endian
        raise SystemExit("render_icons.py writes BMP entries on little-endian machines only")
    rows = b"".join(bits[y * stride : y * stride + size * 4] for y in reversed(range(size)))
    mask_stride = ((size + 31) // 32) * 4
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, len(rows), 0, 0, 0, 0)
    return header + rows + bytes(mask_stride * size)


def ico_bytes(images: dict[int, QImage]) -> bytes:
    payloads = [png_bytes(images[s]) if s >= 256 else bmp_entry(images[s]) for s in ICO_SIZES]
    out = bytearray(struct.pack("<HHH", 0, 1, len(ICO_SIZES)))
    offset = 6 + 16 * len(ICO_SIZES)
    for size, payload in zip(ICO_SIZES, payloads, strict=True):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        out += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(payload), offset)
        offset += len(payload)
    for payload in payloads:
        out += payload
    return bytes(out)


def icns_bytes(images: dict[int, QImage]) -> bytes:
    body = bytearray()
    for ostype, size in ICNS_ENTRIES:
        payload = png_bytes(images[size])
        body += ostype.encode("ascii") + struct.pack(">I", 8 + len(payload)) + payload
    return b"icns" + struct.pack(">I", 8 + len(body)) + bytes(body)


def outputs(renderer: QSvgRenderer) -> tuple[dict[int, QImage], dict[str, bytes]]:
    sizes = sorted(set(PNG_SIZES) | set(ICO_SIZES) | {s for _, s in ICNS_ENTRIES})
    images = {size: render(renderer, size) for size in sizes}
    files = {f"planner-{size}.png": png_bytes(images[size]) for size in PNG_SIZES}
    files["planner.ico"] = ico_bytes(images)
    files["planner.icns"] = icns_bytes(images)
    return images, files


def difference(a: QImage, b: QImage) -> float:
    """Mean absolute difference per channel (0-255); inf when the sizes differ."""
    if a.size() != b.size():
        return float("inf")
    a = a.convertToFormat(QImage.Format.Format_ARGB32)
    b = b.convertToFormat(QImage.Format.Format_ARGB32)
    pa, pb = bytes(a.constBits()), bytes(b.constBits())
    return sum(abs(x - y) for x, y in zip(pa, pb, strict=True)) / len(pa)


def ico_entries(data: bytes) -> dict[int, bytes]:
    """Pixel size -> payload of each image in an ICO file."""
    _, _, count = struct.unpack_from("<HHH", data, 0)
    entries = {}
    for i in range(count):
        side, _, _, _, _, _, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        entries[side or 256] = data[offset : offset + length]
    return entries


def icns_entries(data: bytes) -> dict[str, bytes]:
    """OSType -> payload of each element of an ICNS file."""
    entries, offset = {}, 8
    while offset < len(data):
        ostype, length = (
            data[offset : offset + 4].decode("ascii"),
            struct.unpack_from(">I", data, offset + 4)[0],
        )
        entries[ostype] = data[offset + 8 : offset + length]
        offset += length
    return entries


def payload_difference(committed: bytes, fresh: bytes) -> float:
    """PNG payloads compared as pixels, raw (BMP) ones byte by byte; inf when incomparable."""
    if fresh.startswith(b"\x89PNG"):
        return difference(QImage.fromData(committed), QImage.fromData(fresh))
    if len(committed) != len(fresh):
        return float("inf")
    return sum(abs(x - y) for x, y in zip(committed, fresh, strict=True)) / max(1, len(fresh))


def stale_files(files: dict[str, bytes]) -> list[str]:
    stale = []
    for name, fresh in files.items():
        path = ICONS / name
        if not path.is_file():
            stale.append(f"{name}: missing")
            continue
        committed = path.read_bytes()
        if name.endswith(".png"):
            pairs = {name: (committed, fresh)}
        else:
            split = ico_entries if name.endswith(".ico") else icns_entries
            old, new = split(committed), split(fresh)
            pairs = {f"{name} [{k}]": (old.get(k, b""), new[k]) for k in new}
        for label, (before, after) in pairs.items():
            diff = payload_difference(before, after)
            if diff > TOLERANCE:
                stale.append(f"{label}: differs from the SVG (mean difference {diff:.1f})")
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale outputs")
    args = parser.parse_args(argv)
    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"{SOURCE} is not an SVG Qt can render", file=sys.stderr)
        return 2
    _, files = outputs(renderer)
    if args.check:
        stale = stale_files(files)
        for line in stale:
            print(line)
        if stale:
            print("Run scripts/render_icons.py and commit resources/icons/.")
        return 1 if stale else 0
    for name, payload in files.items():
        (ICONS / name).write_bytes(payload)
        print(f"wrote {ICONS / name} ({len(payload):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
