import pytest

from contactcenter.deadlines import services
from contactcenter.deadlines.scan import scan_deadlines
from tests.moments import moscow as at


@pytest.fixture
def overdue_clock(case, msk, people, policy):
    """A clock that went overdue at 10:00 Monday: alerts for the owner, the supervisor and the team lead."""
    clock = services.open_clock(
        case=case,
        kind="test_clock",
        branch=msk,
        due_at=at(2026, 11, 23, 10, 0),
        opened_at=at(2026, 11, 23, 9, 0),
        owner=people["owner"],
    )
    scan_deadlines(now=at(2026, 11, 23, 10, 1))
    return clock
