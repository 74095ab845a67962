"""`planner self-test`: proves an installation works end to end without touching the user's data.

Everything happens in a temporary folder that is deleted afterwards: a new store is created and
migrated, a small supplier sheet (built here with openpyxl, so no file has to be shipped for it)
is imported, the demo portfolio is loaded (it reads the bundled resources), a pack is exported
when this build has the pack feature, and the CMOs are listed. In a frozen build it also checks
that the Qt plugins the GUI needs were bundled; Qt itself is not started, so it runs on machines
without a screen. Exit status: 0 when every step passed or was skipped, 1 when one failed.
"""

from __future__ import annotations

import inspect
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from planner import APP_NAME, __version__

if TYPE_CHECKING:
    from planner.store.store import Store

Report = Callable[[str], object]

# Made-up CMOs (no demo CMO has these names). The title rows above the header are there so the
# header detection is part of what is tested; "Supplier"/"FEI_NUMBER" exercise the synonyms.
SHEET_TITLE = ["Approved supplier list (self-test)"]
SHEET_HEADER = ["Supplier", "Country", "City", "FEI_NUMBER", "Capabilities"]
SHEET_ROWS = [
    ["Selftest Biologics GmbH", "Germany", "Marburg", "3009990001", "biologics; analytical"],
    ["Selftest Sterile S.r.l.", "IT", "Latina", "3009990002", "sterile fill-finish"],
    # "Irland": German, so a frozen build proves it carries the country-name translations.
    ["Selftest Oral Solids Ltd", "Irland", "Cork", "3009990003", "oral solids; packaging"],
]


class Skipped(Exception):
    """A step that does not apply to this build; the message says why."""


@dataclass
class Context:
    folder: Path
    opened: Store | None = None

    @property
    def store(self) -> Store:
        if self.opened is None:
            raise RuntimeError("the store step did not run")
        return self.opened


def build_supplier_sheet(path: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Suppliers"
    sheet.append(SHEET_TITLE)
    sheet.append([])
    sheet.append(SHEET_HEADER)
    for row in SHEET_ROWS:
        sheet.append(row)
    workbook.save(path)
    return path


def step_store(ctx: Context) -> str:
    from planner.store.migrations import current_revision, head_revision
    from planner.store.store import open_store

    ctx.opened = open_store(ctx.folder / "store" / "planner.db")
    current, head = current_revision(ctx.store.engine), head_revision()
    if current != head:
        raise AssertionError(f"store is at schema {current}, expected {head}")
    return f"new store created and migrated to schema {head}"


def step_import(ctx: Context) -> str:
    from planner.services.import_suppliers import ImportOptions, run_import

    sheet = build_supplier_sheet(ctx.folder / "suppliers.xlsx")
    result = run_import(ctx.store, sheet, ImportOptions(on_duplicate="skip"))
    problems = [f"row {e.row} {e.column}: {e.message}" for e in result.errors]
    if problems or result.created != len(SHEET_ROWS):
        raise AssertionError(
            f"expected {len(SHEET_ROWS)} suppliers created, got {result.created}"
            + (f"; problems: {'; '.join(problems[:3])}" if problems else "")
        )
    return f"{result.created} suppliers imported from {sheet.name} (batch {result.batch_id})"


def step_demo(ctx: Context) -> str:
    from planner.services.demo import load_demo

    result = load_demo(ctx.store)
    if not result.cmos or not result.engagements:
        raise AssertionError(f"the demo portfolio loaded nothing: {result}")
    return (
        f"demo portfolio from the bundled resources: {result.cmos} CMOs, "
        f"{result.engagements} engagements, {result.criteria_sets} criteria sets, "
        f"{result.timelines} timelines"
    )


def step_pack(ctx: Context) -> str:
    try:
        from planner.services import packs
    except ImportError:
        raise Skipped("pack export is not part of this build yet") from None
    return _export_pack(ctx, packs)


def _export_pack(ctx: Context, packs: object) -> str:
    """The one place that knows the pack API: export_pack(store, engagement_id, cmo_id, out).

    The first demo engagement whose chosen CMO may receive a pack is exported (preview_pack says
    which). A changed signature is reported as skipped, naming this function, so a renamed API
    cannot break the installers; an error inside the export fails the step.
    """
    from planner.services.engagements import EngagementService

    export = getattr(packs, "export_pack", None)
    preview = getattr(packs, "preview_pack", None)
    engagements = EngagementService(ctx.store)
    chosen = [engagements.get(r.id) for r in engagements.list_rows() if r.cmo]
    exportable = [
        e
        for e in chosen
        if preview is None or getattr(preview(ctx.store, e.id, e.chosen_cmo_id), "can_export", True)
    ]
    if not exportable:
        raise AssertionError("no demo engagement has a chosen CMO that may receive a pack")
    engagement = exportable[0]
    out = ctx.folder / "packs" / "self-test-pack.xlsx"
    out.parent.mkdir()
    arguments = (ctx.store, engagement.id, engagement.chosen_cmo_id, out)
    try:
        inspect.signature(export).bind(*arguments)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise Skipped(
            "planner.services.packs has no export_pack(store, engagement_id, cmo_id, out); "
            "update _export_pack in planner/self_test.py"
        ) from None
    result = export(*arguments)  # type: ignore[misc]
    if not out.is_file() or out.read_bytes()[:2] != b"PK":
        raise AssertionError(f"export_pack wrote no workbook at {out}")
    pack_id = getattr(result, "pack_id", None)
    return f"pack {pack_id or ''} for '{engagement.title}' written ({out.stat().st_size:,} bytes)"


def step_list(ctx: Context) -> str:
    from planner.services.cmos import CmoService

    cmos = CmoService(ctx.store)
    rows = cmos.list_rows()
    found = cmos.list_rows("selftest")
    names = sorted(r.name for r in found)
    expected = sorted(row[0] for row in SHEET_ROWS)
    if names != expected:
        raise AssertionError(f"searching 'selftest' found {names}, expected {expected}")
    return f"{len(rows)} CMOs listed; the imported ones are found by search"


# Plugin file stems (without the "lib" prefix Linux and macOS add) the GUI cannot do without.
QT_PLUGINS = {
    "platforms": {
        "linux": ["qoffscreen", "qxcb", "qwayland"],
        "win32": ["qoffscreen", "qwindows"],
        "darwin": ["qoffscreen", "qcocoa"],
    },
    "imageformats": {"all": ["qsvg", "qico"]},
    "iconengines": {"all": ["qsvgicon"]},
}


def step_bundle(ctx: Context) -> str:
    bundle = getattr(sys, "_MEIPASS", None)
    if not bundle:
        raise Skipped("not a frozen build; Qt comes from the Python environment")
    roots = [p for p in Path(bundle).rglob("plugins") if (p / "platforms").is_dir()]
    if not roots:
        raise AssertionError(f"no Qt plugins folder with platforms/ under {bundle}")
    missing = []
    for kind, per_os in QT_PLUGINS.items():
        wanted = per_os.get("all") or per_os.get(sys.platform, [])
        present = {p.stem.removeprefix("lib") for p in (roots[0] / kind).glob("*")}
        missing += [f"{kind}/{name}" for name in wanted if name not in present]
    if missing:
        raise AssertionError(f"Qt plugins missing from {roots[0]}: {', '.join(missing)}")
    resources = Path(bundle) / "resources"
    icons = sorted(p.name for p in (resources / "icons").glob("planner-*.png"))
    if not icons:
        raise AssertionError(f"no app icons under {resources / 'icons'}")
    return f"Qt plugins present ({roots[0]}); {len(icons)} icon sizes bundled"


STEPS: list[tuple[str, Callable[[Context], str]]] = [
    ("store", step_store),
    ("import", step_import),
    ("demo", step_demo),
    ("pack", step_pack),
    ("list", step_list),
    ("bundle", step_bundle),
]


def run_step(ctx: Context, name: str, step: Callable[[Context], str], report: Report) -> bool:
    """One line for the step; False when it failed (a crash also gets its traceback)."""
    started = time.perf_counter()
    try:
        line = step(ctx)
    except Skipped as skipped:
        report(f"  skip  {name:<7} {skipped}")
        return True
    except AssertionError as exc:  # a check that failed: its message says it all
        report(f"  FAIL  {name:<7} {exc}")
        return False
    except Exception as exc:  # a crash: the traceback is what support will need
        report(f"  FAIL  {name:<7} {type(exc).__name__}: {exc}")
        for text in traceback.format_exc().rstrip().splitlines():
            report(f"        {text}")
        return False
    report(f"  ok    {name:<7} {line} ({time.perf_counter() - started:.2f} s)")
    return True


def run_self_test(report: Report = print) -> int:
    """Run the steps in order, one line each; stop at the first failure. 0 passed, 1 failed."""
    started = time.perf_counter()
    frozen = "frozen build" if getattr(sys, "frozen", False) else "from source"
    report(
        f"{APP_NAME} {__version__} self-test: Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}, {frozen}"
    )
    with tempfile.TemporaryDirectory(
        prefix="planner-self-test-", ignore_cleanup_errors=True
    ) as tmp:
        ctx = Context(folder=Path(tmp))
        try:
            passed = all(run_step(ctx, name, step, report) for name, step in STEPS)
        finally:
            if ctx.opened is not None:
                ctx.opened.close()  # before the folder goes: Windows cannot delete open files
    if not passed:
        report("Self-test FAILED.")
        return 1
    report(f"Self-test passed in {time.perf_counter() - started:.1f} s.")
    return 0
