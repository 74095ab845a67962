"""The shipped milestone template and applying a subset of it."""

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain.timeline import Milestone, MilestoneLink, Timeline, TimelineRuleError
from planner.domain.timeline_rules import date_conflicts, topological_order
from planner.domain.timeline_template import MilestoneTemplate
from planner.resource_files import resource

TEMPLATE = MilestoneTemplate.from_dict(
    json.loads(resource("timeline", "milestone_template.json").read_text(encoding="utf-8"))
)
ISSUE_ORDER = [
    "CDA signed",
    "RFP issued",
    "Proposals due",
    "Site audit",
    "Quality agreement and MSA signed",
    "Tech-transfer package delivered",
    "Engineering batch",
    "PPQ protocol approved",
    "PPQ batches complete",
    "PPQ report approved",
    "Stability data cut-off",
    "Regulatory filing",
    "Pre-approval inspection",
    "Launch",
]


def test_shipped_template_has_the_issue_milestones_in_order() -> None:
    assert [m.name for m in TEMPLATE.milestones] == ISSUE_ORDER
    assert [m.key for m in TEMPLATE.milestones if m.hard_deadline] == [
        "regulatory_filing",
        "launch",
    ]
    assert all(m.prompt for m in TEMPLATE.milestones)


def test_full_selection_keeps_the_template_links() -> None:
    selection = TEMPLATE.select(TEMPLATE.keys())
    assert set(selection.links) == set(TEMPLATE.links)


def test_skipping_one_step_adds_its_lead_times() -> None:
    # proposals due →(21) site audit →(30) quality agreement and MSA: skipping the audit
    # links proposals due to the agreements with 21 + 30 = 51 days.
    selection = TEMPLATE.select(["proposals_due", "quality_agreement_msa"])
    assert [(k.prerequisite, k.dependent, k.min_lead_days) for k in selection.links] == [
        ("proposals_due", "quality_agreement_msa", 51)
    ]


def test_skipping_parallel_branches_keeps_the_longest_route() -> None:
    # PPQ batches → filing through the report: 30 + 60 = 90; through stability: 180 + 45 = 225.
    selection = TEMPLATE.select(["ppq_batches", "regulatory_filing"])
    [link] = selection.links
    assert link.min_lead_days == 225


def test_a_chosen_milestone_stops_the_closure() -> None:
    # With the report chosen, batches link to it and it links on; no shortcut batches → filing
    # through the report, but the route through the skipped stability step remains (225).
    selection = TEMPLATE.select(["ppq_batches", "ppq_report", "regulatory_filing"])
    found = {(k.prerequisite, k.dependent): k.min_lead_days for k in selection.links}
    assert found == {
        ("ppq_batches", "ppq_report"): 30,
        ("ppq_report", "regulatory_filing"): 60,
        ("ppq_batches", "regulatory_filing"): 225,
    }


def test_default_dates_start_at_the_first_chosen_step() -> None:
    selection = TEMPLATE.select(["tech_transfer_package", "engineering_batch", "launch"])
    dates = selection.planned_dates(date(2027, 1, 11))
    assert dates["tech_transfer_package"] == date(2027, 1, 11)
    # Template offsets 198 and 318: the batch stays 120 days after the package.
    assert dates["engineering_batch"] == date(2027, 1, 11) + timedelta(days=120)
    assert selection.planned_dates(None) == dict.fromkeys(dates)


def test_unknown_step_is_refused() -> None:
    with pytest.raises(TimelineRuleError, match="no step nonsense"):
        TEMPLATE.select(["launch", "nonsense"])


@pytest.mark.parametrize(
    ("links", "message"),
    [
        ([{"prerequisite": "b", "dependent": "a", "min_lead_days": 1}], "backwards"),
        ([{"prerequisite": "a", "dependent": "z", "min_lead_days": 1}], "unknown"),
        ([{"prerequisite": "a", "dependent": "b", "min_lead_days": 11}], "lead time"),
    ],
)
def test_broken_template_files_are_refused(links: list, message: str) -> None:
    data = {
        "milestones": [
            {"key": "a", "name": "A", "offset_days": 0, "owner": "cmo", "driver": "other"},
            {"key": "b", "name": "B", "offset_days": 10, "owner": "cmo", "driver": "other"},
        ],
        "links": links,
    }
    with pytest.raises(TimelineRuleError, match=message):
        MilestoneTemplate.from_dict(data)


@settings(max_examples=150, deadline=None)
@given(
    st.sets(st.sampled_from(TEMPLATE.keys()), min_size=1),
    st.dates(date(2020, 1, 1), date(2035, 1, 1)),
)
def test_any_subset_starts_without_cycles_or_conflicts(keys: set[str], start: date) -> None:
    selection = TEMPLATE.select(keys)
    dates = selection.planned_dates(start)
    ids = {m.key: i for i, m in enumerate(selection.milestones, start=1)}
    timeline = Timeline(
        [
            Milestone(m.name, dates[m.key], id=ids[m.key], position=ids[m.key])
            for m in selection.milestones
        ],
        [
            MilestoneLink(ids[k.prerequisite], ids[k.dependent], k.min_lead_days)
            for k in selection.links
        ],
        engagement_id=1,
    )
    assert len(topological_order(timeline)) == len(keys)
    assert date_conflicts(timeline) == []
    # Only links between chosen steps, and each at least as long as any direct template link.
    direct = {(k.prerequisite, k.dependent): k.min_lead_days for k in TEMPLATE.links}
    for link in selection.links:
        assert link.min_lead_days >= direct.get((link.prerequisite, link.dependent), 0)
