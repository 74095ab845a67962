"""The installers' inputs: icons at every size, desktop entry, metainfo, control file, NSIS script.

Tools that are not installed (desktop-file-validate, appstreamcli, makensis) skip their test;
`apt-get install desktop-file-utils appstream nsis` makes them run.
"""

import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from planner import APP_ID, APP_NAME, __version__

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "resources" / "icons"
LINUX = ROOT / "installers" / "linux"
NSIS = ROOT / "installers" / "windows" / "planner.nsi"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


@pytest.mark.parametrize("size", PNG_SIZES)
def test_icons_exist_at_every_size(size: int) -> None:
    assert png_size((ICONS / f"planner-{size}.png").read_bytes()) == (size, size)


def test_windows_icon_holds_the_shell_sizes() -> None:
    data = (ICONS / "planner.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = []
    for i in range(count):
        width, height, _, _, planes, bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * i
        )
        side = width or 256
        payload = data[offset : offset + length]
        assert offset + length <= len(data) and (planes, bits) == (1, 32)
        if side == 256:
            assert png_size(payload) == (256, 256)
        else:  # a BMP entry: BITMAPINFOHEADER with the doubled height of colour + mask rows
            assert struct.unpack_from("<Iii", payload) == (40, side, 2 * side)
        sizes.append(side)
    assert sizes == [16, 24, 32, 48, 64, 128, 256]


def test_mac_icon_holds_normal_and_retina_sizes() -> None:
    data = (ICONS / "planner.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack_from(">I", data, 4)[0] == len(data)
    found, offset = {}, 8
    while offset < len(data):
        ostype = data[offset : offset + 4].decode("ascii")
        length = struct.unpack_from(">I", data, offset + 4)[0]
        found[ostype] = png_size(data[offset + 8 : offset + length])[0]
        offset += length
    assert found == {
        "icp4": 16, "icp5": 32, "icp6": 64, "ic07": 128, "ic08": 256, "ic09": 512,
        "ic10": 1024, "ic11": 32, "ic12": 64, "ic13": 256, "ic14": 512,
    }  # fmt: skip


def test_icons_match_the_svg() -> None:
    """The committed PNG/ICO/ICNS are what scripts/render_icons.py makes of the SVG today."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "render_icons.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_desktop_file_validates() -> None:
    desktop = LINUX / f"{APP_ID}.desktop"
    entries = dict(line.split("=", 1) for line in desktop.read_text().splitlines() if "=" in line)
    assert entries["Name"] == APP_NAME
    assert entries["Exec"] == "planner"  # /usr/bin/planner, the link the .deb installs
    assert entries["Icon"] == APP_ID  # the hicolor name build.sh installs the icons under
    out = subprocess.run(
        [tool("desktop-file-validate"), str(desktop)], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0 and out.stdout.strip() == "", out.stdout + out.stderr


def test_metainfo_validates_and_names_this_version() -> None:
    metainfo = LINUX / f"{APP_ID}.metainfo.xml"
    root = ET.parse(metainfo).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert root.find("releases/release").get("version") == __version__  # newest first
    out = subprocess.run(
        [tool("appstreamcli"), "validate", "--no-net", str(metainfo)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "E:" not in out.stdout and "W:" not in out.stdout, out.stdout


def test_control_template_has_every_placeholder_the_script_fills() -> None:
    control = (LINUX / "control.in").read_text()
    fields = dict(
        line.split(": ", 1) for line in control.splitlines() if line and not line[0].isspace()
    )
    assert fields["Package"] == "outsourcing-planner"
    assert {fields["Version"], fields["Architecture"], fields["Installed-Size"]} == {
        "@VERSION@", "@ARCH@", "@INSTALLED_SIZE@",
    }  # fmt: skip
    assert "libc6 (>= @GLIBC@)" in fields["Depends"]
    assert len(fields["Description"]) <= 80
    script = (LINUX / "build.sh").read_text()
    assert all(f"s/@{name}@/" in script for name in ("VERSION", "ARCH", "INSTALLED_SIZE", "GLIBC"))


def test_linux_package_scripts_parse() -> None:
    for script in ("linux/build.sh", "linux/measure_startup.sh", "macos/make_dmg.sh"):
        path = ROOT / "installers" / script
        out = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
        assert out.returncode == 0, f"{script}: {out.stderr}"
        assert path.stat().st_mode & 0o111, f"{script} is not executable"


def test_nsis_script_compiles(tmp_path) -> None:
    """makensis -WX (warnings are errors) over a stand-in of the frozen folder."""
    source = tmp_path / "planner"
    (source / "_internal").mkdir(parents=True)
    for name in ("planner.exe", "plannerw.exe", "_internal/base_library.zip"):
        (source / name).write_bytes(b"stand-in")
    script = NSIS.read_text()
    assert f'!define APP_ID "{APP_ID}"' in script and "RequestExecutionLevel user" in script
    out_file = tmp_path / f"OutsourcingPlanner-{__version__}-setup.exe"  # "setup.exe": a warning
    out = subprocess.run(
        [
            tool("makensis"),
            "-WX",
            "-V2",
            f"-DVERSION={__version__}",
            f"-DSOURCE_DIR={source}",
            f"-DOUTFILE={out_file}",
            str(NSIS),
        ],  # fmt: skip
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert out_file.stat().st_size > 0
