"""What the register lets each user read."""

from complaints.selectors import assignable_reviewers, complaints_for_customer
from tests.factories import ComplaintFactory, CustomerFactory, UserFactory
from tests.moments import moscow as at


def test_a_customers_complaints_newest_first_for_those_who_may_see_them(msk, bud, operator, stranger, deputy):
    customer = CustomerFactory(branch=msk)
    older = ComplaintFactory(branch=msk, customer=customer, received_at=at(2026, 11, 2, 10, 0))
    newer = ComplaintFactory(branch=msk, customer=customer, received_at=at(2026, 11, 9, 10, 0))
    ComplaintFactory(branch=msk)  # someone else's
    assert list(complaints_for_customer(customer, operator)) == [newer, older]
    assert list(complaints_for_customer(customer, deputy)) == [newer, older]
    assert list(complaints_for_customer(customer, stranger)) == [], "another branch"
    nobody = UserFactory(username="nobody", branches=[msk])
    assert list(complaints_for_customer(customer, nobody)) == [], "no permission to see complaints"


def test_the_list_annotations_come_with_the_rows(msk, operator, django_assert_num_queries):
    customer = CustomerFactory(branch=msk)
    ComplaintFactory(branch=msk, customer=customer)
    rows = complaints_for_customer(customer, operator)
    with django_assert_num_queries(1):
        [row] = list(rows)
        assert row.page_count is None and row.answer_due_at is None and row.is_overdue is False
        assert row.customer == customer and row.branch == msk


def test_reviewers_are_those_who_may_answer_in_the_branch(msk, bud, people):
    reviewers = set(assignable_reviewers(msk))
    assert {people["supervisor"], people["manager"], people["deputy"]} <= reviewers
    assert people["owner"] not in reviewers, "an operator registers and forwards, but does not answer"
    assert UserFactory(username="bud_sup", role="Supervisor", branches=[bud]) not in set(assignable_reviewers(msk))


def test_an_administrator_or_someone_deactivated_reviews_nothing(msk, people):
    administrator = UserFactory(username="it", role="Administrator", branches=[msk])
    people["manager"].is_active = False
    people["manager"].save()

    reviewers = list(assignable_reviewers(msk))

    assert administrator not in reviewers, "the administrator holds every permission but reviews no complaint"
    assert people["manager"] not in reviewers
    assert reviewers == sorted(set(reviewers), key=lambda user: (user.last_name, user.first_name, user.username))
