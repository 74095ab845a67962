from planner.services.criteria_recipients import CriteriaRecipients


def test_recipients_are_kept_per_engagement(store) -> None:
    recipients = CriteriaRecipients(store)
    assert recipients.load(1) is None
    recipients.save(1, [3, 2, 3])
    recipients.save(2, [])
    assert recipients.load(1) == [2, 3]
    assert recipients.load(2) == []
