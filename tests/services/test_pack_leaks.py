"""Withheld information reaches no part of the exported files: property-based, on the raw bytes.

Every value that may not leave (asset fields above the decided level, whole L0 assets and assets
without a decision, milestones not shared, a criteria version not aligned, sign-offs, scores,
decision rationales, other candidates, internal CMO and engagement notes) carries a unique
marker; the test unzips the workbook and searches every part, the hidden sheet, document
properties and defined names included, and the PDF's HTML. Shown values carry markers too, so
the test also proves the pack is not simply empty.
"""

import io
import string
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.services.packs import export_pack
from planner.store.store import open_store
from tests.reports import scenario


@pytest.fixture(scope="module")
def leak_store(tmp_path_factory):
    with open_store(tmp_path_factory.mktemp("leaks") / "planner.db") as store:
        yield store


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def capture_html(into: list[str]):
    def write(html: str, path: Path) -> None:
        into.append(html)
        path.write_text(html, encoding="utf-8")

    return write


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    token=st.text(string.ascii_uppercase + string.digits, min_size=4, max_size=10),
    levels=st.lists(st.integers(0, 3), min_size=1, max_size=4),
)
def test_markers_of_withheld_information_are_absent_and_shown_ones_present(
    leak_store, token: str, levels: list[int]
) -> None:
    plan = scenario.build(leak_store, token, tuple(levels))
    with tempfile.TemporaryDirectory() as folder:
        html: list[str] = []
        result = export_pack(
            leak_store,
            plan.engagement_id,
            plan.cmo_id,
            Path(folder) / "pack.xlsx",
            pdf_writer=capture_html(html),
            pdf_path=Path(folder) / "pack.pdf",
        )
        parts = members(result.path.read_bytes())
    everything = b"\n".join(parts.values())
    for what, marker in plan.markers.withheld.items():
        for name, part in parts.items():
            assert marker.encode() not in part, f"{what} leaked into {name}"
        assert marker not in html[0], f"{what} leaked into the PDF"
    for what, marker in plan.markers.shown.items():
        assert marker.encode() in everything, f"{what} is missing from the workbook"
        assert marker in html[0], f"{what} is missing from the PDF"
    assert {c: d["level"] for c, d in result.disclosed.items()} == {
        code: level for code, level in plan.asset_codes.items() if level > 0
    }
