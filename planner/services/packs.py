"""Alignment pack export: what a pack would carry (preview), writing it, and the register entry.

Order of an export, and why:
1. preview: refuse on a gate violation (a decided level the CMO's agreements no longer allow, a
   CMO that is neither chosen nor candidate); everything else is a warning the user can accept.
2. the workbook (and PDF) are written complete to hidden temporary files next to their targets
   and flushed to disk; nothing is in place yet, so a failure here changes nothing.
3. the files are moved into place (os.replace), each old file kept aside;
4. ONE transaction records the pack (PackRow with the exact fields disclosed) and marks the
   criteria version communicated. If it fails, the old files are put back (new ones removed),
   so the register never lacks an entry for a file this call left in place. Only a crash
   between 3 and 4 can leave a new file without its entry; recording first would instead risk
   an entry for a file never written, and the brief asks for the file to be in place first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

from sqlalchemy.orm import Session

from planner.domain import criteria as d
from planner.domain.disclosure_levels import DisclosureLevel
from planner.domain.enums import Stage
from planner.domain.names import fold
from planner.excel.pack_files import StagedFile, stage_bytes, stage_with
from planner.excel.pack_writer import PackIdentity, pack_bytes
from planner.reports.pack_content import REDACTED, PackContent, build_content, clean_text, redact
from planner.reports.pack_html import render
from planner.services import changelog
from planner.services import criteria_rows as rows
from planner.services import disclosure_mapping as m
from planner.services.criteria_sets import CriteriaSetService
from planner.services.disclosure_outlook import PackOutlook, pack_outlook
from planner.services.engagements import EngagementService
from planner.services.errors import Conflict, NotFound
from planner.services.pack_identity import sponsor_name, store_identity
from planner.services.pipeline import PipelineService
from planner.services.timeline import TimelineService
from planner.store.models import CmoRow, PackRow
from planner.store.store import Store

PdfWriter = Callable[[str, Path], None]


class PackRefused(ValueError):
    """The pack may not be exported; `str()` is one line for the user and names what to fix."""


@dataclass(frozen=True)
class PackPreview:
    engagement_id: int
    cmo_id: int
    cmo: str
    content: PackContent | None  # None only when the CMO may receive no pack at all
    warnings: tuple[str, ...]
    refusal: str | None
    criteria_set_id: int | None  # the shareable version the pack carries
    disclosed: dict[str, dict[str, Any]] = field(default_factory=dict)  # for PackRow.disclosed

    @property
    def can_export(self) -> bool:
        return self.refusal is None and self.content is not None


@dataclass(frozen=True)
class ExportResult:
    pack_id: str
    engagement_id: int
    cmo_id: int
    cmo: str
    path: Path
    sha256: str
    pdf_path: Path | None
    pdf_sha256: str | None
    criteria_version: int | None
    timeline_version: int | None
    disclosed: dict[str, dict[str, Any]]
    warnings: tuple[str, ...]
    communicated: bool  # this export moved the criteria version from aligned to communicated

    def to_json(self) -> dict[str, Any]:
        return {
            "pack_id": self.pack_id,
            "engagement_id": self.engagement_id,
            "cmo_id": self.cmo_id,
            "cmo": self.cmo,
            "file": str(self.path),
            "sha256": self.sha256,
            "pdf": str(self.pdf_path) if self.pdf_path else None,
            "pdf_sha256": self.pdf_sha256,
            "criteria_version": self.criteria_version,
            "timeline_version": self.timeline_version,
            "disclosed": self.disclosed,
            "warnings": list(self.warnings),
            "communicated": self.communicated,
        }


@dataclass(frozen=True)
class CandidateExport:
    cmo_id: int
    cmo: str
    result: ExportResult | None
    refusal: str | None  # why this CMO got no pack; None when `result` is set


# --- preview ------------------------------------------------------------------------------


def preview_pack(
    store: Store, engagement_id: int, cmo_id: int, on: date | None = None
) -> PackPreview:
    """What an export on `on` (default today) would carry, what to look at first, and whether
    it is refused. Raises NotFound for an unknown engagement or CMO."""
    day = on or date.today()
    engagement = EngagementService(store).get(engagement_id)
    with store.reading() as s:
        cmo_row = s.get(CmoRow, cmo_id)
        cmo_name = cmo_row.name if cmo_row else ""
    if cmo_row is None:
        raise NotFound(f"There is no CMO with id {cmo_id}.")
    try:
        outlook = pack_outlook(store, engagement_id, cmo_id, day)
    except Conflict as exc:
        return PackPreview(engagement_id, cmo_id, cmo_name, None, (), str(exc), None)
    sets = CriteriaSetService(store)
    shareable = sets.shareable(engagement_id)
    current = sets.current(engagement_id)
    timeline = TimelineService(store)
    shared = timeline.shared(engagement_id)
    sponsor = sponsor_name(store)
    content = build_content(
        sponsor=sponsor,
        engagement=engagement,
        cmo=cmo_name,
        criteria=shareable,
        milestones=shared,
        timeline_version=timeline.version(engagement_id),
        outlook=outlook.items,
        issued_on=day,
    )
    content = redact(content, _withheld_texts(store, outlook))
    warnings = [
        *(
            []
            if sponsor
            else ["No sponsor name is set for this store; the pack says 'The sponsor'."]
        ),
        *(
            [f"The engagement is {engagement.stage.label.lower()}."]
            if engagement.stage == Stage.CLOSED
            else []
        ),
        *_criteria_warnings(shareable, current),
        *_timeline_warnings(content),
        *_outlook_warnings(outlook, engagement.title, engagement.program),
    ]
    if content.is_empty:
        warnings.append(
            "The pack carries nothing yet: no aligned criteria, no shared milestones and no "
            "pipeline information."
        )
    refusal = None
    if not outlook.can_export:
        refusal = (
            f"No pack may go to {cmo_name} on {day}: {outlook.refusal()} Record the agreement "
            "or lower the decision first."
        )
    return PackPreview(
        engagement_id,
        cmo_id,
        cmo_name,
        content,
        tuple(warnings),
        refusal,
        shareable.id if shareable else None,
        outlook.disclosed(),
    )


def _criteria_warnings(shareable: d.CriteriaSet | None, current: d.CriteriaSet | None) -> list[str]:
    if current is None:
        return ["This engagement has no evaluation criteria yet: the pack carries none."]
    if shareable is None:
        return [
            f"The evaluation criteria are not aligned yet (version {current.version} is "
            f"{current.status.label.lower()}): the pack carries none."
        ]
    found = []
    if current.version > shareable.version:
        found.append(
            f"Version {current.version} of the criteria is {current.status.label.lower()}; the "
            f"pack carries version {shareable.version}, the latest aligned one."
        )
    if shareable.status is d.SetStatus.ALIGNED:
        found.append(
            f"Exporting communicates version {shareable.version} of the criteria: it is frozen "
            "from then on and any change starts a new version."
        )
    return found


def _timeline_warnings(content: PackContent) -> list[str]:
    if not content.milestones:
        return ["No milestone is marked to share: the timeline sheet will be empty."]
    found = []
    for m_ in content.milestones:
        if not m_.rationale.strip():
            found.append(f"'{m_.name}' is shared without a rationale (why this date).")
        if m_.planned_date is None:
            found.append(f"'{m_.name}' is shared without a planned date.")
    return found


def _withheld_texts(store: Store, outlook: PackOutlook) -> list[str]:
    """Codes, INNs and indications of every asset whose field this CMO may not read."""
    shown = {i.asset_id: i.data for i in outlook.items}
    texts: list[str] = []
    for asset in PipelineService(store).list_assets(include_archived=True):
        data = shown.get(asset.id, {})
        for field_name in ("code", "inn", "indication"):
            value = getattr(asset, field_name, "")
            if value and field_name not in data:
                texts.append(str(value))
    return texts


def _outlook_warnings(outlook: PackOutlook, title: str, program: str) -> list[str]:
    found = [f"{i.asset_code}: {w}" for i in outlook.items for w in i.warnings]
    # The cover shows the engagement's title and program; when they name an asset whose code the
    # pack does not disclose, the user should know before the file leaves.
    named = fold(f"{title} {program}")
    for item in outlook.items:
        if item.level < DisclosureLevel.PROGRAM and fold(item.asset_code) in named:
            found.append(
                f"The engagement's title or program names {item.asset_code}, whose code this "
                f"pack does not disclose ({item.level.short}); the pack shows it as {REDACTED}."
            )
    return found


# --- export -------------------------------------------------------------------------------


def export_pack(
    store: Store,
    engagement_id: int,
    cmo_id: int,
    out_path: Path | str,
    *,
    pdf_writer: PdfWriter | None = None,
    pdf_path: Path | str | None = None,
    on: date | None = None,
    user: str | None = None,
) -> ExportResult:
    """Write the pack (and the PDF when `pdf_path` is given) and record it; see the module text
    for the order. Raises PackRefused, NotFound, Conflict (the criteria changed meanwhile) or
    OSError (the folder cannot be written); in every case the register is unchanged."""
    target = Path(out_path)
    pdf_target = Path(pdf_path) if pdf_path is not None else None
    if pdf_target is not None and pdf_writer is None:
        raise ValueError("A PDF was asked for but no PDF writer was given.")
    if pdf_target is not None and pdf_target.resolve() == target.resolve():
        raise ValueError("The workbook and the PDF need different file names.")
    preview = preview_pack(store, engagement_id, cmo_id, on)
    if preview.refusal is not None or preview.content is None:
        raise PackRefused(preview.refusal or "This pack cannot be exported.")
    with store.transaction() as s:
        identity_found = store_identity(s, create=True)
    assert identity_found is not None
    store_id, secret = identity_found
    cover = preview.content.cover
    identity = PackIdentity(
        pack_id=str(uuid4()),
        store_id=store_id,
        engagement_id=engagement_id,
        cmo_id=cmo_id,
        criteria_version=cover.criteria_version,
        timeline_version=cover.timeline_version,
        created_at=datetime.now(UTC),
    )
    content = replace(preview.content, cover=replace(cover, pack_id=identity.pack_id))
    staged: list[StagedFile] = [stage_bytes(target, pack_bytes(content, identity, secret))]
    try:
        if pdf_target is not None:
            assert pdf_writer is not None
            html = render(content)
            staged.append(stage_with(pdf_target, lambda path: pdf_writer(html, path)))
        for file in staged:
            file.commit()
        communicated = _record(store, preview, identity, staged, user)
    except BaseException:
        for file in reversed(staged):
            file.rollback()
        raise
    for file in staged:
        file.finish()
    return ExportResult(
        pack_id=identity.pack_id,
        engagement_id=engagement_id,
        cmo_id=cmo_id,
        cmo=preview.cmo,
        path=target,
        sha256=staged[0].sha256,
        pdf_path=pdf_target,
        pdf_sha256=staged[1].sha256 if pdf_target is not None else None,
        criteria_version=identity.criteria_version,
        timeline_version=identity.timeline_version,
        disclosed=preview.disclosed,
        warnings=preview.warnings,
        communicated=communicated,
    )


def _record(
    store: Store,
    preview: PackPreview,
    identity: PackIdentity,
    staged: list[StagedFile],
    user: str | None,
) -> bool:
    with store.transaction() as s:
        communicated = False
        if preview.criteria_set_id is not None:
            communicated = _communicate(s, preview.criteria_set_id, identity.criteria_version)
        s.add(
            PackRow(
                id=identity.pack_id,
                engagement_id=identity.engagement_id,
                cmo_id=identity.cmo_id,
                criteria_version=identity.criteria_version,
                timeline_version=identity.timeline_version,
                file_name=staged[0].target.name,
                file_hash=staged[0].sha256,
                pdf_hash=staged[1].sha256 if len(staged) > 1 else "",
                disclosed=preview.disclosed,
                created_at=identity.created_at,
                created_by=user or changelog.current_user(),
            )
        )
        changelog.record(
            s,
            "pack",
            identity.pack_id,
            "exported",
            {"disclosed": [None, preview.disclosed]},
            summary=f"Alignment pack for {preview.cmo} exported as {staged[0].target.name}",
        )
    return communicated


def _communicate(s: Session, set_id: int, version: int | None) -> bool:
    """CriteriaSignOffService.mark_communicated inside the export's own transaction."""
    row = rows.load_set(s, set_id)
    if row.version != version or row.status not in (
        d.SetStatus.ALIGNED,
        d.SetStatus.COMMUNICATED,
    ):
        raise Conflict(
            f"The criteria changed while the pack was written (version {row.version} is now "
            f"{d.SetStatus(row.status).label.lower()}); export again."
        )
    if row.status == d.SetStatus.COMMUNICATED:
        return False
    row.status = d.SetStatus.COMMUNICATED.value
    row.communicated_at = datetime.now(UTC)
    changelog.record(
        s,
        rows.ENTITY,
        row.id,
        "communicated",
        {"status": [d.SetStatus.ALIGNED.value, d.SetStatus.COMMUNICATED.value]},
        summary=f"Version {row.version} communicated to CMOs in an alignment pack; now frozen",
    )
    return True


# --- every candidate at once ----------------------------------------------------------------

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')


def pack_file_name(engagement: str, cmo: str, suffix: str = ".xlsx") -> str:
    """A file name safe on Windows, macOS and Linux: "<program> alignment pack – <CMO>.xlsx".
    The fixed middle part also keeps it clear of Windows device names (CON, NUL, ...)."""
    stem = _UNSAFE.sub(" ", clean_text(f"{engagement} alignment pack – {cmo}"))
    stem = " ".join(stem.split()).strip(" .")[:150].strip(" .") or "alignment pack"
    return stem + suffix


def export_packs_for_candidates(
    store: Store,
    engagement_id: int,
    out_dir: Path | str,
    *,
    pdf_writer: PdfWriter | None = None,
    on: date | None = None,
    user: str | None = None,
) -> list[CandidateExport]:
    """One pack per CMO the engagement's decisions apply to (the candidates while in
    consideration, else the chosen CMO), each exported and recorded on its own; a CMO whose pack
    is refused is reported and the others still get theirs. With `pdf_writer`, a PDF each."""
    folder = Path(out_dir)
    engagement = EngagementService(store).get(engagement_id)
    with store.reading() as s:
        targets = m.targets(s, m.load_engagement(s, engagement_id))
    label = engagement.program or engagement.title
    used: set[str] = set()
    done = []
    for cmo in targets:
        assert cmo.id is not None
        name = pack_file_name(label, cmo.name)
        if name.casefold() in used:
            name = pack_file_name(label, f"{cmo.name} {cmo.id}")
        used.add(name.casefold())
        path = folder / name
        try:
            result = export_pack(
                store,
                engagement_id,
                cmo.id,
                path,
                pdf_writer=pdf_writer,
                pdf_path=path.with_suffix(".pdf") if pdf_writer else None,
                on=on,
                user=user,
            )
        except PackRefused as exc:
            done.append(CandidateExport(cmo.id, cmo.name, None, str(exc)))
            continue
        done.append(CandidateExport(cmo.id, cmo.name, result, None))
    return done
