"""The list's default order is served by an index on PostgreSQL (made by a migration, not the model's Meta)."""

import pytest
from django.db import connection

from escalations.models import Escalation

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_first_page_of_the_list_reads_the_index_in_order():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'escalation_list_order_idx'")
        [(definition,)] = cursor.fetchall()
        assert "closed_at NULLS FIRST, due_at, opened_at DESC, id DESC" in definition
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = Escalation.objects.most_urgent_first()[:25].explain()
    assert "escalation_list_order_idx" in plan
    assert "Sort" not in plan.split("escalation_list_order_idx")[0]
