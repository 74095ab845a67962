import io
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain.criteria import CriteriaSet, Criterion, CriterionStage, Direction
from planner.domain.disclosure_levels import disclose
from planner.domain.engagement import Engagement
from planner.domain.pipeline import Phase, PipelineAsset
from planner.domain.timeline import Milestone, MilestoneOwner
from planner.domain.timeline_summary import SharedMilestone
from planner.excel import pack_layout as layout
from planner.excel import pack_writer
from planner.excel.pack_writer import PackIdentity, PackWriteError, pack_bytes
from planner.reports.pack_content import build_content, clean_text

SECRET = b"k" * 32
FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[\s/>]")
INJECTIONS = [
    '=HYPERLINK("http://evil.example","click")',
    "+1",
    "-2",
    "@SUM(A1)",
    "=1+1",
    "\t=cmd|' /C calc'!A0",
]


@dataclass
class Item:
    level: int
    data: dict


def make_content(name: str = "Quality systems", cmo: str = "Acme Pharma", sponsor: str = "Orph"):
    criteria = CriteriaSet(
        engagement_id=1,
        version=2,
        criteria=[
            Criterion(
                name,
                CriterionStage.SELECTION,
                "desc",
                60,
                list("abcde"),
                knockout=True,
                evidence_requested="audit report",
            ),
            Criterion("Cost", CriterionStage.SELECTION, "", 40, list("abcde")),
            Criterion(
                "OTIF",
                CriterionStage.PERFORMANCE,
                "",
                100,
                list("abcde"),
                metric="orders on time",
                unit="%",
                target=95,
                direction=Direction.HIGHER,
            ),
        ],
    )
    for n, c in enumerate(criteria.criteria):
        c.library_key = f"k{n}"
    shared = [
        SharedMilestone(
            Milestone(name, date(2027, 3, 1), MilestoneOwner.CMO, id=5), (("PPQ", 30),), ()
        ),
        SharedMilestone(
            Milestone("PPQ", date(2027, 7, 1), rationale="window", id=6), (), ((name, 30),)
        ),
    ]
    asset = PipelineAsset(
        "ORP-9", "inn", "Small molecule", "Oncology", "NSCLC", Phase.PHASE_3, {2028: 50.0}
    )
    return build_content(
        sponsor=sponsor,
        engagement=Engagement(title="Tablets", program="ORP-9"),
        cmo=cmo,
        criteria=criteria,
        milestones=shared,
        timeline_version=3,
        outlook=[Item(2, disclose(asset, 2))],
        pack_id="pack-1",
        issued_on=date(2027, 1, 4),
    )


IDENTITY = PackIdentity("pack-1", "store-1", 1, 2, 2, 3, datetime(2027, 1, 4, 9, tzinfo=UTC))


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_sheets_protection_and_the_hidden_metadata() -> None:
    wb = load(pack_bytes(make_content(), IDENTITY, SECRET))
    assert wb.sheetnames == [
        "Cover",
        "Evaluation criteria",
        "Performance metrics",
        "Timeline",
        "Pipeline outlook",
        "Your response",
        layout.META_SHEET,
    ]
    assert [ws.sheet_state for ws in wb.worksheets][-1] == "veryHidden"
    assert all(ws.sheet_state == "visible" for ws in wb.worksheets[:-1])
    assert all(ws.protection.sheet for ws in wb.worksheets)
    assert wb.security.lockStructure
    meta = [
        tuple(c for c in row if c is not None)
        for row in wb[layout.META_SHEET].iter_rows(values_only=True)
    ]
    assert meta[0] == ("format", layout.FORMAT, layout.FORMAT_VERSION)
    assert ("pack_id", "pack-1") in meta and ("store_id", "store-1") in meta
    assert [r[2] for r in meta if r[0] == "response"] == [
        "criterion:k0",
        "criterion:k1",
        "kpi:k2",
        "milestone:5",
        "milestone:6",
    ]
    assert meta[-1][0] == "signature"
    assert layout.signature_matches(meta[:-1], SECRET, meta[-1][1])
    assert not layout.signature_matches(meta[:-1], b"other", meta[-1][1])


def test_only_the_response_inputs_are_unlocked_with_drop_downs() -> None:
    wb = load(pack_bytes(make_content(), IDENTITY, SECRET))
    unlocked = {
        (ws.title, cell.coordinate)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.protection.locked is False
    }
    rows = range(layout.RESPONSE_FIRST_ROW, layout.RESPONSE_FIRST_ROW + 5)
    expected = {("Your response", f"{col}{r}") for r in rows for col in "EFH"}
    expected |= {("Your response", f"G{r}") for r in rows[3:]}  # dates: milestones only
    assert unlocked == expected
    validations = {
        dv.formula1: str(dv.sqref) for dv in wb["Your response"].data_validations.dataValidation
    }
    assert validations['"Yes,No"'] == "E5:E9"
    assert validations['"Yes,No,With conditions"'] == "F5:F9"
    assert validations["36526"] == "G8 G9"


def test_print_setup_and_frozen_headers() -> None:
    wb = load(pack_bytes(make_content(sponsor="Smith & Co"), IDENTITY, SECRET))
    for ws in wb.worksheets[:-1]:
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.oddHeader.center.text == "Confidential – Smith && Co for Acme Pharma"
    for title in ("Evaluation criteria", "Timeline", "Your response"):
        assert wb[title].freeze_panes == "A5"
        assert wb[title].print_title_rows == "$4:$4"
    assert wb["Timeline"]["C5"].value == datetime(2027, 3, 1)


def test_document_properties_name_the_sponsor_only() -> None:
    found = parts(pack_bytes(make_content(sponsor="Orpheline"), IDENTITY, SECRET))
    core, app = found["docProps/core.xml"].decode(), found["docProps/app.xml"].decode()
    assert "<dc:creator>Orpheline</dc:creator>" in core
    assert "<dc:title>Alignment pack from Orpheline</dc:title>" in core
    assert "<Company>Orpheline</Company>" in app
    for text in ("Acme", "Tablets", "ORP-9", "Oncology"):
        assert text not in core and text not in app
    assert "docProps/custom.xml" not in found


@pytest.mark.parametrize("text", INJECTIONS)
def test_formula_looking_names_stay_text(text: str) -> None:
    data = pack_bytes(make_content(name=text, cmo=text), IDENTITY, SECRET)
    for name, part in parts(data).items():
        assert not FORMULA_ELEMENT.search(part), name
    wb = load(data)
    cell = wb["Evaluation criteria"]["B5"]
    assert cell.value == clean_text(text) and cell.data_type == "s" and cell.quotePrefix
    assert wb["Your response"]["C5"].value == clean_text(text)
    assert wb["Cover"]["B5"].value == clean_text(text)
    sheet = parts(data)["xl/worksheets/sheet2.xml"].decode()
    assert 't="inlineStr"' in sheet and 't="str"' not in sheet


@settings(max_examples=40, deadline=None)
@given(st.text(min_size=1, max_size=80))
def test_any_text_is_written_as_cleaned_text_and_never_as_a_formula(text: str) -> None:
    data = pack_bytes(make_content(name=text, cmo=text), IDENTITY, SECRET)
    assert not any(FORMULA_ELEMENT.search(p) for p in parts(data).values())
    wb = load(data)
    assert wb["Evaluation criteria"]["B5"].value == (clean_text(text) or None)


def test_a_formula_that_slips_through_is_refused() -> None:
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", '<c r="A1"><f>1+1</f></c>')
    with pytest.raises(PackWriteError, match="formula"):
        pack_writer._finish_archive(raw.getvalue(), "Orph")
