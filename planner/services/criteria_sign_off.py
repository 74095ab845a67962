"""Internal sign-off of a criteria set and the status it drives.

draft → in review: `submit_for_review` (or the first verdict recorded), once the set has no
  problems (weights total 100 per stage, KPI targets set, wording for every scale point, ...).
in review ⇄ aligned: derived after every verdict: aligned when every required role agreed (with or
  without comment) and none objects.
aligned → communicated: `mark_communicated`, called when a pack carrying the version is exported;
  the version is frozen from then on.
Any edit to criteria or weights after review started returns the set to draft (criteria_sets).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from planner.domain import criteria as d
from planner.domain.criteria_diff import diff_sets
from planner.services import changelog
from planner.services import criteria_rows as rows
from planner.services.errors import Conflict
from planner.store.models import CriteriaSetRow, SignOffRow
from planner.store.store import Store


class CriteriaSignOffService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def set_required_roles(self, set_id: int, roles: Iterable[str]) -> d.CriteriaSet:
        """Roles that must sign; verdicts of roles kept stand, the status is re-derived."""
        wanted = rows.clean_roles(roles)
        with self._store.transaction() as s:
            row = rows.load_set(s, set_id)
            rows.check_editable(row)
            before = list(row.required_roles or [])
            if before != wanted:
                row.required_roles = wanted
                rows.ensure_sign_off_rows(row)
                _rederive(s, row)
                changelog.record(
                    s,
                    rows.ENTITY,
                    row.id,
                    "roles",
                    {"required_roles": [before, wanted]},
                    summary=f"Version {row.version}: sign-off roles changed",
                )
            s.flush()
            return rows.set_to_domain(row)

    def assign_signer(self, set_id: int, role: str, person: str) -> d.CriteriaSet:
        """Names who signs for a role before any verdict; does not move the status."""
        with self._store.transaction() as s:
            row = rows.load_set(s, set_id)
            rows.check_editable(row)
            sign_off = _sign_off_row(row, role)
            if sign_off.person != person.strip():
                changelog.record(
                    s,
                    rows.ENTITY,
                    row.id,
                    "signer",
                    {sign_off.role: [sign_off.person, person.strip()]},
                    summary=f"Version {row.version}: {d.role_label(sign_off.role)} signer named",
                )
                sign_off.person = person.strip()
            s.flush()
            return rows.set_to_domain(row)

    def submit_for_review(self, set_id: int) -> d.CriteriaSet:
        """Draft → in review; a set already in review or aligned is returned unchanged."""
        with self._store.transaction() as s:
            row = rows.load_set(s, set_id)
            rows.check_editable(row)
            if row.status == d.SetStatus.DRAFT:
                _submit(s, row)
            s.flush()
            return rows.set_to_domain(row)

    def record_sign_off(
        self,
        set_id: int,
        role: str,
        person: str,
        verdict: d.Verdict,
        comment: str = "",
        signed_on: date | None = None,
    ) -> d.CriteriaSet:
        """A role's verdict (today unless dated). On a draft it first submits it for review.

        'Agree with comment' and 'object' need a comment; every verdict needs a person.
        """
        verdict = d.Verdict(verdict)
        if not person.strip():
            raise d.CriteriaRuleError("Say who signs off for this role.")
        if verdict is not d.Verdict.AGREE and not comment.strip():
            raise d.CriteriaRuleError(f"'{verdict.label}' needs a comment saying why.")
        with self._store.transaction() as s:
            row = rows.load_set(s, set_id)
            rows.check_editable(row)
            sign_off = _sign_off_row(row, role)
            if row.status == d.SetStatus.DRAFT:
                _submit(s, row)
            before = [sign_off.verdict or None, sign_off.person]
            sign_off.person = person.strip()
            sign_off.verdict = verdict.value
            sign_off.comment = comment.strip()
            sign_off.signed_on = signed_on or date.today()
            changelog.record(
                s,
                rows.ENTITY,
                row.id,
                "sign_off",
                {sign_off.role: [before, [verdict.value, sign_off.person]]},
                summary=(
                    f"Version {row.version}: {d.role_label(sign_off.role)} "
                    f"({sign_off.person}) {verdict.label.lower()}"
                ),
            )
            _rederive(s, row)
            s.flush()
            return rows.set_to_domain(row)

    def clear_sign_off(self, set_id: int, role: str) -> d.CriteriaSet:
        """Withdraws a role's verdict (the person stays named); aligned drops back to review."""
        with self._store.transaction() as s:
            row = rows.load_set(s, set_id)
            rows.check_editable(row)
            sign_off = _sign_off_row(row, role)
            if sign_off.verdict:
                changelog.record(
                    s,
                    rows.ENTITY,
                    row.id,
                    "sign_off",
                    {sign_off.role: [sign_off.verdict, None]},
                    summary=f"Version {row.version}: {d.role_label(sign_off.role)} withdrawn",
                )
                sign_off.verdict = ""
                sign_off.comment = ""
                sign_off.signed_on = None
                _rederive(s, row)
            s.flush()
            return rows.set_to_domain(row)

    def return_to_draft(self, set_id: int, reason: str = "returned to draft") -> d.CriteriaSet:
        """Stop the review on purpose; verdicts are cleared as for any edit."""
        with self._store.transaction() as s:
            row = rows.load_set(s, set_id)
            rows.check_editable(row)
            rows.invalidate_sign_offs(s, row, reason)
            s.flush()
            return rows.set_to_domain(row)

    def mark_communicated(self, set_id: int) -> d.CriteriaSet:
        """Aligned → communicated (frozen), for the pack export. Idempotent on a communicated set,
        which keeps the date it was first communicated."""
        with self._store.transaction() as s:
            row = rows.load_set(s, set_id)
            if row.status == d.SetStatus.COMMUNICATED:
                return rows.set_to_domain(row)
            if row.status != d.SetStatus.ALIGNED:
                raise Conflict(
                    f"Version {row.version} is {d.SetStatus(row.status).label.lower()}; only "
                    "criteria aligned internally (every required role agreed) can be sent to CMOs."
                )
            row.status = d.SetStatus.COMMUNICATED.value
            row.communicated_at = datetime.now(UTC)
            changelog.record(
                s,
                rows.ENTITY,
                row.id,
                "communicated",
                {"status": [d.SetStatus.ALIGNED.value, d.SetStatus.COMMUNICATED.value]},
                summary=f"Version {row.version} communicated to CMOs; now frozen",
            )
            s.flush()
            return rows.set_to_domain(row)


def _sign_off_row(row: CriteriaSetRow, role: str) -> SignOffRow:
    key = d.normalise_role(role)
    for sign_off in row.sign_offs:
        if sign_off.role.casefold() == key.casefold():
            return sign_off
    required = ", ".join(d.role_label(r) for r in row.required_roles) or "none"
    raise Conflict(
        f"{d.role_label(key)} is not asked to sign off version {row.version} "
        f"(required: {required}); add the role first."
    )


def _submit(s: Session, row: CriteriaSetRow) -> None:
    problems = d.set_problems(rows.set_to_domain(row))
    if problems:
        raise Conflict("Not ready for sign-off: " + " ".join(problems))
    row.status = d.SetStatus.IN_REVIEW.value
    summary = f"Version {row.version} submitted for review"
    changes: dict = {"status": [d.SetStatus.DRAFT.value, d.SetStatus.IN_REVIEW.value]}
    if row.version > 1:
        previous = rows.version_row(s, row.engagement_id, row.version - 1)
        delta = diff_sets(rows.set_to_domain(previous), rows.set_to_domain(row))
        changes["since_previous_version"] = [None, delta.lines() or ["no changes"]]
    changelog.record(s, rows.ENTITY, row.id, "status", changes, summary=summary)


def _rederive(s: Session, row: CriteriaSetRow) -> None:
    """In review or aligned, from the verdicts; a draft stays a draft."""
    if row.status not in (d.SetStatus.IN_REVIEW, d.SetStatus.ALIGNED):
        return
    status = d.status_from_sign_offs(
        list(row.required_roles or []), rows.set_to_domain(row).sign_offs
    )
    if status != row.status:
        changelog.record(
            s,
            rows.ENTITY,
            row.id,
            "status",
            {"status": [row.status, status.value]},
            summary=f"Version {row.version} {status.label.lower()}",
        )
        row.status = status.value
