"""The cases of ``bench_pages``: callbacks, complaints, escalations, their customers, clocks and alerts.

See the command's docstring for what the data looks like; everything is derived from row numbers by SQL
(``BenchLoader``), so two runs load the same data.
"""

from __future__ import annotations

import json
import random
import time
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from bench.loaders.staff import (
    BRANCHES,
    FIRST_NAMES,
    OPERATORS_PER_BRANCH,
    SUPERVISORS_PER_BRANCH,
    SURNAMES,
    BenchStaff,
)
from callbacks.models import CLOCK_KIND as CALLBACK_CLOCK
from callbacks.models import Callback, CallbackReason, ContactAttempt
from complaints.models import (
    ANSWER_CLOCK,
    FORWARDING_CLOCK,
    LEGAL_CLOCK,
    Complaint,
    ComplaintForwarding,
    ComplaintPage,
    RegisterCounter,
)
from complaints.services.forwarding import PURPOSE as FORWARDING_PURPOSE
from contactcenter.alerts.models import Alert, OutboundEmail
from contactcenter.deadlines.models import ClockPolicy, Deadline, Recipient
from contactcenter.directory.models import Branch, Customer, Team, WorkingHours
from escalations.models import CLOCK_KINDS as ESCALATION_CLOCKS
from escalations.models import NEXT_LEVEL, Escalation, EscalationKind

CALLBACKS_PER_1000_CASES = 650
COMPLAINTS_PER_1000_CASES = 175
CASES_PER_CUSTOMER = 2
BENCH_KIND = "bench_request"

# The tables ``BenchLoader`` fills with INSERT … SELECT.
LOADED = (
    Customer,
    Callback,
    ContactAttempt,
    Complaint,
    ComplaintForwarding,
    ComplaintPage,
    RegisterCounter,
    Escalation,
    Deadline,
    Alert,
    OutboundEmail,
)
MINUTE, HOUR, DAY = 60, 3600, 86400
SPAN = 730 * DAY  # the cases came over the last two years

# How often each default callback reason and escalation kind comes up (others: 5).
REASON_WEIGHTS = {
    "asked_callback": 30,
    "left_number": 20,
    "request_submitted": 15,
    "loan_question": 10,
    "feedback": 8,
    "more_information": 7,
}
KIND_WEIGHTS = {"demands_supervisor": 45, "complaint_about_operator": 20, "system_failure": 15, "other": 15}
CALLBACK_CHANNELS = [("phone", 70), ("chat", 10), ("email", 8), ("website", 6), ("messenger", 3), ("branch", 3)]
COMPLAINT_CHANNELS = [
    ("complaint_book", 20),
    ("website", 20),
    ("phone", 15),
    ("email", 15),
    ("personal_reception", 10),
    ("letter", 10),
    ("questionnaire", 5),
    ("dedicated_line", 5),
]
COMPLAINT_CATEGORIES = [
    ("service", 25),
    ("waiting", 20),
    ("staff", 15),
    ("products", 15),
    ("errors", 10),
    ("remote", 10),
    ("premises", 3),
    ("other", 2),
]

# Odd 32-bit multipliers for ``draw``: one per salt, far apart, so that two draws of a row are unrelated.
_RANDOM = random.Random(2026)
MULTIPLIERS = [_RANDOM.randrange(2**31, 2**32) | 1 for _salt in range(32)]


def draw(row: str, salt: int, size: int) -> str:
    """SQL for a whole number from 0 to ``size - 1`` that stands for chance but is the same for the same row and
    salt: the top bits of a multiplicative hash of the row number (64-bit integer arithmetic, any SQL)."""
    return f"((({row}) * {MULTIPLIERS[salt]} % 4294967296) * {max(size, 1)} / 4294967296)"


def weighted(value: str, choices: list[tuple[str, int]]) -> str:
    """SQL choosing among ``choices`` by ``value``, a draw from 0 to 99 (weights in %)."""
    assert sum(weight for _choice, weight in choices) == 100
    parts, bound = [], 0
    for choice, weight in choices[:-1]:
        bound += weight
        parts.append(f"WHEN {value} < {bound} THEN {literal(choice)}")
    return f"CASE {' '.join(parts)} ELSE {literal(choices[-1][0])} END"


def literal(value) -> str:
    """A constant of ours as SQL (the statements take no parameters, so ``%`` is plain modulo everywhere)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def values(name: str, columns: str, rows: Iterable[tuple]) -> str:
    """A common table expression of constant rows: ``name(columns) AS (VALUES …)``."""
    body = ", ".join("(" + ", ".join(literal(value) for value in row) + ")" for row in rows)
    return f"{name}({columns}) AS (VALUES {body})"


def ranges(weights: list[int]) -> list[tuple[int, int]]:
    """Consecutive [low, high) ranges of the given widths, for joining a draw to a weighted choice."""
    bounds, low = [], 0
    for weight in weights:
        bounds.append((low, low + weight))
        low += weight
    return bounds


class Dialect:
    """The few spellings that differ between PostgreSQL and SQLite; the statements are otherwise common SQL."""

    def __init__(self, vendor: str):
        self.postgres = vendor == "postgresql"

    def series(self, name: str, count: int) -> str:
        """A common table expression ``name(i)`` of the numbers 1 to ``count`` (64-bit)."""
        if self.postgres:
            return f"{name}(i) AS (SELECT generate_series(1, CAST({count} AS bigint)))"
        return f"{name}(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM {name} WHERE i < {count})"

    def moment(self, seconds: str) -> str:
        """The aware moment of a Unix time in seconds, as the column stores it."""
        if self.postgres:
            return f"to_timestamp({seconds})"
        return f"strftime('%Y-%m-%d %H:%M:%S', {seconds}, 'unixepoch')"

    def seconds(self, column: str) -> str:
        if self.postgres:
            return f"CAST(EXTRACT(EPOCH FROM {column}) AS bigint)"
        return f"CAST(strftime('%s', {column}) AS integer)"

    def local_date(self, seconds: str, time_zone: str, utc_offset: str) -> str:
        """The day in the branch's time zone (SQLite: at the branch's offset of today, enough for a smoke test)."""
        if self.postgres:
            return f"CAST(to_timestamp({seconds}) AT TIME ZONE {time_zone} AS date)"
        return f"date({seconds} + {utc_offset}, 'unixepoch')"

    def local_year(self, seconds: str, time_zone: str, utc_offset: str) -> str:
        if self.postgres:
            return f"CAST(EXTRACT(YEAR FROM to_timestamp({seconds}) AT TIME ZONE {time_zone}) AS integer)"
        return f"CAST(strftime('%Y', {seconds} + {utc_offset}, 'unixepoch') AS integer)"

    def padded(self, number: str, width: int) -> str:
        """``number`` with zeros in front, as Python's ``f"{number:0{width}d}"`` writes it."""
        if self.postgres:
            text = f"CAST({number} AS text)"
            return f"CASE WHEN {number} < {10**width} THEN lpad({text}, {width}, '0') ELSE {text} END"
        return f"printf('%0{width}d', {number})"

    def json(self, value) -> str:
        text = literal(json.dumps(value))
        return f"CAST({text} AS jsonb)" if self.postgres else text

    @property
    def no_time(self) -> str:
        return "interval '0'" if self.postgres else "0"


@dataclass(frozen=True)
class Sizes:
    cases: int
    clocks: int

    @property
    def callbacks(self) -> int:
        return self.cases * CALLBACKS_PER_1000_CASES // 1000

    @property
    def complaints(self) -> int:
        return self.cases * COMPLAINTS_PER_1000_CASES // 1000

    @property
    def escalations(self) -> int:
        return self.cases - self.callbacks - self.complaints

    @property
    def customers(self) -> int:
        """A multiple of the number of branches: customer ``j`` belongs to branch ``(j - 1) % 4``."""
        per_branch = max(self.cases // CASES_PER_CUSTOMER // len(BRANCHES), 1)
        return per_branch * len(BRANCHES)


def url_parts(url_name: str) -> tuple[str, str]:
    """The detail URL of a case around its id, e.g. ("/callbacks/", "/"), to build ``case_url`` in SQL."""
    marker = 987654321
    prefix, suffix = reverse(url_name, args=[marker]).split(str(marker))
    return prefix, suffix


def term_seconds(amount: int, unit: str) -> int:
    """An admin-edited term in seconds; business time is counted as calendar time here, which only moves
    the bench's moments a little."""
    return amount * {"minutes": MINUTE, "hours": HOUR, "days": DAY}[unit]


class BenchLoader:
    """Writes the bench data: one ``INSERT … SELECT`` per table, all derived from row numbers (the clocks are
    staged kind by kind in a temporary table, then written at once). A case ``i`` of a kind has the id
    ``offset + i``, so its clocks and attempts are derived from the same ``i`` by the same plan
    (``callback_plan``, ``complaint_plan``, ``escalation_plan``)."""

    def __init__(self, *, sizes: Sizes, staff: BenchStaff, now: datetime):
        self.sql = Dialect(connection.vendor)
        self.sizes = sizes
        self.staff = staff
        self.now = int(now.timestamp())
        self.start = self.now - SPAN
        self.far = self.now + 100 * 365 * DAY  # "never" in the plans: later than anything compared
        self.offsets = {
            model: model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            for model in (Customer, Callback, Complaint, Escalation, OutboundEmail, Deadline)
        }
        self.types = {
            model: ContentType.objects.get_for_model(model).pk for model in (Customer, Callback, Complaint, Escalation)
        }
        self.timings: list[tuple[str, float]] = []
        self.staged = 0  # clocks in the staging table
        self.case_clocks = 0

    # --- running ------------------------------------------------------------------------------------------

    def load(self) -> None:
        self.step("customers", self.load_customers)
        self.step("callbacks, attempts", self.load_callbacks)
        self.step("complaints, e-mails, pages", self.load_complaints)
        self.step("escalations", self.load_escalations)
        self.step("clocks", self.load_clocks)
        self.step("alerts", self.load_alerts)
        self.step("foreign keys", self.check_foreign_keys)
        self.step("ANALYZE", self.analyze)

    def step(self, name: str, load) -> None:
        started = time.perf_counter()
        load()
        self.timings.append((name, time.perf_counter() - started))

    def run(self, statement: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(statement)

    def with_(self, *tables: str) -> str:
        return "WITH RECURSIVE " + ", ".join(tables)

    # --- shared pieces ------------------------------------------------------------------------------------

    def branches(self) -> str:
        """b: each bench branch, its share of the cases as a [lo, hi) range of a draw from 0 to 99, its zone."""
        shares = ranges([b.share for b in self.staff.branches])
        today = timezone.now()
        return values(
            "b",
            "slot, id, code, tz, utc_offset, country, lo, hi, manager_id, head_id, supervisor_id",
            (
                (
                    b.slot,
                    b.branch.pk,
                    b.branch.code,
                    b.branch.time_zone,
                    int(today.astimezone(zoneinfo.ZoneInfo(b.branch.time_zone)).utcoffset().total_seconds()),
                    b.branch.country,
                    low,
                    high,
                    b.manager_id,
                    b.head_id,
                    b.supervisor_ids[0],
                )
                for b, (low, high) in zip(self.staff.branches, shares, strict=True)
            ),
        )

    def operators(self, name: str = "o") -> str:
        """o: the operators of each branch, numbered from 0 within it."""
        rows = [(b.slot, n, pk) for b in self.staff.branches for n, pk in enumerate(b.operator_ids)]
        return values(name, "slot, n, id", rows)

    def supervisors(self) -> str:
        rows = [(b.slot, n, pk) for b in self.staff.branches for n, pk in enumerate(b.supervisor_ids)]
        return values("s", "slot, n, id", rows)

    def branch_of(self, row: str) -> str:
        return f"JOIN b ON {draw(row, 1, 100)} >= b.lo AND {draw(row, 1, 100)} < b.hi"

    def operator_of(self, row: str, salt: int, name: str = "o") -> str:
        return f"JOIN {name} ON {name}.slot = b.slot AND {name}.n = {draw(row, salt, OPERATORS_PER_BRANCH)}"

    def customer_of(self, row: str) -> str:
        """A customer of the row's branch ``b``: customer ``j`` (id ``offset + j``) is of branch ``(j - 1) % 4``."""
        per_branch = self.sizes.customers // len(BRANCHES)
        return f"{self.offsets[Customer]} + 1 + b.slot + {len(BRANCHES)} * {draw(row, 2, per_branch)}"

    def spread(self, row: str, count: int) -> str:
        """The moment (Unix seconds) row ``row`` of ``count`` came: in order, evenly over the two years."""
        return f"{self.start} + ({row} - 1) * {SPAN} / {count} + {draw(row, 5, SPAN // count)}"

    def moment(self, seconds: str) -> str:
        return self.sql.moment(seconds)

    def happened(self, seconds: str) -> str:
        return f"{seconds} <= {self.now}"

    def stage_clocks(self, ctes: list[str], select: str) -> None:
        """Add clocks to the staging table; ``select`` gives its columns, moments in Unix seconds, ``ended``
        'met', 'cancelled' or NULL (still running)."""
        self.run(
            f"{self.with_(*ctes)} INSERT INTO bench_clock (content_type_id, object_id, kind, title, case_url, "
            f"branch_id, owner_id, opened_s, due_s, warn_s, ended, ended_s, cancel_reason) {select}"
        )
        # Counted, not taken from the cursor: SQLite's driver gives no row count for a statement led by WITH.
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM bench_clock")
            self.staged = cursor.fetchone()[0]

    # --- customers ----------------------------------------------------------------------------------------

    def load_customers(self) -> None:
        first = values(
            "fn", "country, n, name", [(c, n, name) for c, names in FIRST_NAMES.items() for n, name in enumerate(names)]
        )
        last = values(
            "ln", "country, n, name", [(c, n, name) for c, names in SURNAMES.items() for n, name in enumerate(names)]
        )
        since = self.moment(f"{self.start} - {draw('n.i', 3, 365 * DAY)}")
        self.run(
            f"""{self.with_(self.sql.series("n", self.sizes.customers), self.branches(), first, last)}
            INSERT INTO directory_customer (id, branch_id, full_name, phone, email, preferred_language, notes,
                email_consent, time_zone, created_at, updated_at, created_by_id)
            SELECT {self.offsets[Customer]} + n.i, b.id, fn.name || ' ' || ln.name,
                CASE WHEN b.country = 'HU' THEN '+3630' || {self.sql.padded("n.i", 7)}
                     ELSE '+7916' || {self.sql.padded("n.i", 7)} END,
                '', '', '', FALSE, '', {since}, {since}, NULL
            FROM n
            JOIN b ON b.slot = (n.i - 1) % {len(BRANCHES)}
            JOIN fn ON fn.country = b.country AND fn.n = {draw("n.i", 1, 20)}
            JOIN ln ON ln.country = b.country AND ln.n = {draw("n.i", 2, 20)}"""
        )

    # --- callbacks ----------------------------------------------------------------------------------------

    def callback_ctes(self) -> list[str]:
        reasons = list(CallbackReason.objects.filter(is_active=True).order_by("position", "pk"))
        if not reasons:
            raise CommandError("No active callback reason: run the migrations (they make the default ones).")
        weights = [REASON_WEIGHTS.get(reason.code, 5) for reason in reasons]
        self.reason_total = sum(weights)
        rows = [
            (reason.pk, low, high, term_seconds(reason.due_after, reason.unit))
            for reason, (low, high) in zip(reasons, ranges(weights), strict=True)
        ]
        return [
            self.sql.series("n", self.sizes.callbacks),
            self.sql.series("k", 5),
            self.branches(),
            self.operators(),
            values("r", "id, lo, hi, term_s", rows),
        ]

    def callback_plan(self) -> str:
        """One row per callback ``i``: its branch, customer, reason, operator, when it came, how many attempts
        it takes (``planned``) at what interval (``gap_s``, 40–115 % of the reason's term), and from these at
        ``now``: how many clocks it has had and its status. Clock ``k`` opens at ``created_s + (k - 1) * gap_s``
        and is met by the attempt ``gap_s`` later; a callback whose attempts run past ``now`` is open."""
        i, n = "n.i", self.sizes.callbacks
        attempts = draw(i, 6, 100)
        base = f"""
            SELECT n.i, {self.offsets[Callback]} + n.i AS id, b.id AS branch_id, o.id AS operator_id,
                r.id AS reason_id, r.term_s, {self.customer_of(i)} AS customer_id,
                {self.spread(i, n)} AS created_s,
                CASE WHEN {attempts} < 45 THEN 1 WHEN {attempts} < 70 THEN 2 WHEN {attempts} < 85 THEN 3
                     WHEN {attempts} < 95 THEN 4 ELSE 5 END AS planned,
                r.term_s * (40 + {draw(i, 7, 76)}) / 100 AS gap_s,
                {draw(i, 8, 100)} AS stuck_draw, {draw(i, 9, 100)} AS end_draw, {draw(i, 10, 100)} AS queue_draw,
                {draw(i, 11, 100)} AS channel_draw, {draw(i, 12, 100)} AS priority_draw
            FROM n {self.branch_of(i)} {self.operator_of(i, 4)}
            JOIN r ON {draw(i, 3, self.reason_total)} >= r.lo AND {draw(i, 3, self.reason_total)} < r.hi"""
        timed = f"""
            SELECT x.*, ({self.now} - x.created_s) / x.gap_s AS done,
                CASE WHEN x.created_s >= {self.now - 60 * DAY} AND x.stuck_draw = 0 THEN 1 ELSE 0 END AS stuck
            FROM ({base}) AS x"""
        ended = f"""
            SELECT y.*,
                CASE WHEN y.stuck = 1 THEN 1 WHEN y.done < y.planned THEN y.done + 1 ELSE y.planned END AS clocks,
                CASE WHEN y.stuck = 1 OR y.done < y.planned THEN 'open'
                     WHEN y.planned >= 3 AND y.end_draw < 15 THEN 'unreachable'
                     WHEN y.end_draw < 25 THEN 'cancelled' ELSE 'solved' END AS status
            FROM ({timed}) AS y"""
        return f"""
            SELECT z.*,
                CASE WHEN z.status = 'open' AND z.clocks = 1 AND z.stuck = 0 AND z.queue_draw < 50 THEN NULL
                     ELSE z.operator_id END AS owner_id,
                z.created_s + (z.clocks - 1) * z.gap_s AS last_opened_s
            FROM ({ended}) AS z"""

    @staticmethod
    def callback_due_after(k: str) -> str:
        """How long clock ``k`` of callback ``p`` runs: 80, 100 or 120 % of the reason's term (the agreed
        moments vary), so that the same rhythm of attempts is late for some clocks and not for others."""
        return f"p.term_s * (80 + 20 * ((p.i + {k}) % 3)) / 100"

    def load_callbacks(self) -> None:
        ctes, plan = self.callback_ctes(), self.callback_plan()
        self.run(
            f"""{self.with_(*ctes)}
            INSERT INTO callbacks_callback (id, branch_id, customer_id, channel, reason_id, customer_said, priority,
                assigned_to_id, window_start, window_end, next_contact_at, status, resolution, cancel_reason,
                created_at, created_by_id, closed_at)
            SELECT p.id, p.branch_id, p.customer_id, {weighted("p.channel_draw", CALLBACK_CHANNELS)}, p.reason_id,
                'The customer asks to be called back about their request.',
                CASE WHEN p.priority_draw < 85 THEN 0 WHEN p.priority_draw < 97 THEN 1 ELSE 2 END,
                p.owner_id, NULL, NULL,
                CASE WHEN p.status = 'open' THEN
                    {self.moment("p.last_opened_s + " + self.callback_due_after("p.clocks"))} END,
                p.status,
                CASE WHEN p.status = 'solved' THEN 'Explained the terms; the customer is satisfied.' ELSE '' END,
                CASE WHEN p.status = 'cancelled' THEN 'The customer withdrew the request.' ELSE '' END,
                {self.moment("p.created_s")}, p.operator_id,
                CASE WHEN p.status = 'open' THEN NULL
                     WHEN p.status = 'cancelled' THEN {self.moment("p.last_opened_s + p.gap_s / 2")}
                     ELSE {self.moment("p.created_s + p.planned * p.gap_s")} END
            FROM ({plan}) AS p"""
        )
        opened = "p.created_s + (k.i - 1) * p.gap_s"
        met = "k.i < p.clocks OR p.status IN ('solved', 'unreachable')"
        prefix, suffix = url_parts("callbacks:detail")
        self.stage_clocks(
            ctes,
            f"""SELECT {self.types[Callback]}, p.id, {literal(CALLBACK_CLOCK)},
                'Callback #' || p.id || ' · ' || c.full_name, {literal(prefix)} || p.id || {literal(suffix)},
                p.branch_id, p.owner_id, {opened}, {opened} + {self.callback_due_after("k.i")},
                {opened} + {self.callback_due_after("k.i")} * 3 / 4,
                CASE WHEN {met} THEN 'met' WHEN p.status = 'cancelled' THEN 'cancelled' END,
                CASE WHEN {met} THEN {opened} + p.gap_s WHEN p.status = 'cancelled' THEN {opened} + p.gap_s / 2 END,
                CASE WHEN p.status = 'cancelled' AND k.i = p.clocks THEN 'The customer withdrew the request.'
                     ELSE '' END
            FROM ({plan}) AS p JOIN k ON k.i <= p.clocks JOIN directory_customer c ON c.id = p.customer_id""",
        )
        # One attempt per met clock: the last one solves the callback, or is the last unanswered call.
        outcome = draw("p.i * 8 + k.i", 13, 100)
        next_due = f"p.created_s + k.i * p.gap_s + {self.callback_due_after('k.i + 1')}"
        self.run(
            f"""{self.with_(*ctes)}
            INSERT INTO callbacks_contactattempt (callback_id, at, by_id, outcome, note, next_contact_at)
            SELECT p.id, {self.moment(opened + " + p.gap_s")}, p.operator_id,
                CASE WHEN k.i = p.clocks AND p.status = 'solved' THEN 'solved'
                     WHEN p.status = 'unreachable' THEN
                        CASE WHEN {outcome} < 50 THEN 'no_answer' WHEN {outcome} < 75 THEN 'busy' ELSE 'voicemail' END
                     WHEN {outcome} < 40 THEN 'no_answer' WHEN {outcome} < 55 THEN 'busy'
                     WHEN {outcome} < 70 THEN 'voicemail' WHEN {outcome} < 85 THEN 'call_later' ELSE 'reached' END,
                '',
                CASE WHEN k.i < p.clocks AND p.status <> 'unreachable' AND {outcome} >= 70
                     THEN {self.moment(next_due)} END
            FROM ({plan}) AS p JOIN k ON k.i <= p.clocks AND ({met})"""
        )

    # --- complaints ---------------------------------------------------------------------------------------

    def complaint_ctes(self) -> list[str]:
        return [
            self.sql.series("n", self.sizes.complaints),
            self.branches(),
            self.operators(),
            self.supervisors(),
        ]

    def complaint_plan(self) -> str:
        """One row per complaint ``i``: its branch, customer, when it came, its register year and number, and
        when it was forwarded, taken in review, answered and closed (``far``: not yet, or never)."""
        i, n, sql = "n.i", self.sizes.complaints, self.sql
        forward, answer = draw(i, 8, 100), draw(i, 11, 100)
        base = f"""
            SELECT n.i, {self.offsets[Complaint]} + n.i AS id, b.id AS branch_id, b.code, b.tz, b.utc_offset,
                b.manager_id, o.id AS operator_id, s.id AS reviewer_id, {self.customer_of(i)} AS customer_id,
                {self.spread(i, n)} AS received_s, {draw(i, 6, 100)} AS channel_draw,
                {draw(i, 7, 100)} AS category_draw,
                CASE WHEN {forward} < 92 THEN {HOUR} + {draw(i, 9, 19 * HOUR)}
                     ELSE {23 * HOUR} + {draw(i, 9, 17 * HOUR)} END AS forward_after_s,
                {2 * HOUR} + {draw(i, 10, 22 * HOUR)} AS review_after_s,
                CASE WHEN {answer} < 92 THEN {3 * DAY} + {draw(i, 12, 10 * DAY)}
                     WHEN {answer} < 99 THEN {14 * DAY + 12 * HOUR} + {draw(i, 12, 5 * DAY)}
                     ELSE {21 * DAY + 12 * HOUR} + {draw(i, 12, 9 * DAY)} END AS answer_after_s,
                {DAY} + {draw(i, 13, 2 * DAY)} AS close_after_s,
                {draw(i, 14, 100)} AS stuck_draw, {draw(i, 15, 100)} AS failed_draw
            FROM n {self.branch_of(i)} {self.operator_of(i, 4)}
            JOIN s ON s.slot = b.slot AND s.n = {draw(i, 16, SUPERVISORS_PER_BRANCH)}"""
        forwarded = f"""
            SELECT x.*,
                CASE WHEN x.received_s >= {self.now - 60 * DAY} AND x.failed_draw = 0 THEN {self.far}
                     ELSE x.received_s + x.forward_after_s END AS forwarded_s,
                CASE WHEN x.received_s >= {self.now - 120 * DAY} AND x.stuck_draw = 0 THEN 1 ELSE 0 END AS stuck,
                {sql.local_year("x.received_s", "x.tz", "x.utc_offset")} AS year,
                {sql.local_date("x.received_s", "x.tz", "x.utc_offset")} AS received_on
            FROM ({base}) AS x"""
        answered = f"""
            SELECT y.*, y.forwarded_s + y.review_after_s AS reviewed_s,
                CASE WHEN y.stuck = 1 OR y.forwarded_s = {self.far} THEN {self.far}
                     ELSE y.received_s + y.answer_after_s END AS answered_s,
                row_number() OVER (PARTITION BY y.branch_id, y.year ORDER BY y.received_s, y.i) AS number
            FROM ({forwarded}) AS y"""
        return f"""
            SELECT z.*, z.answered_s + z.close_after_s AS closed_s,
                z.code || '-' || z.year || '-' || {sql.padded("z.number", 5)} AS register_number,
                CASE WHEN z.forwarded_s > {self.now} THEN 'registered' WHEN z.reviewed_s > {self.now} THEN 'forwarded'
                     WHEN z.answered_s > {self.now} THEN 'in_review'
                     WHEN z.answered_s + z.close_after_s > {self.now} THEN 'answered' ELSE 'closed' END AS status
            FROM ({answered}) AS z"""

    def load_complaints(self) -> None:
        ctes, plan, sql = self.complaint_ctes(), self.complaint_plan(), self.sql
        reviewed = "p.status IN ('in_review', 'answered', 'closed')"
        answered = "p.status IN ('answered', 'closed')"
        last_change = (
            "CASE p.status WHEN 'registered' THEN p.received_s WHEN 'forwarded' THEN p.forwarded_s "
            "WHEN 'in_review' THEN p.reviewed_s WHEN 'answered' THEN p.answered_s ELSE p.closed_s END"
        )
        self.run(
            f"""{self.with_(*ctes)}
            INSERT INTO complaints_complaint (id, branch_id, year, number, register_number, channel, category,
                customer_id, received_at, received_on, summary, status, legal_term_applies, registered_at,
                registered_by_id, assigned_to_id, answer_text, answer_letter, answer_letter_name,
                answer_letter_type, answer_channel, answered_at, answered_by_id, legal_extension_days,
                legal_extension_reason, customer_told_of_extension_on, closed_at, updated_at)
            SELECT p.id, p.branch_id, p.year, p.number, p.register_number,
                {weighted("p.channel_draw", COMPLAINT_CHANNELS)}, {weighted("p.category_draw", COMPLAINT_CATEGORIES)},
                p.customer_id, {self.moment("p.received_s")}, p.received_on,
                'The customer waited for an hour and was sent from one desk to another.', p.status, TRUE,
                {self.moment("p.received_s")}, p.operator_id, CASE WHEN {reviewed} THEN p.reviewer_id END,
                CASE WHEN {answered} THEN 'We looked into your complaint and apologise for the wait.' ELSE '' END,
                '', '', '',
                CASE WHEN {answered} THEN CASE WHEN p.channel_draw % 2 = 0 THEN 'email' ELSE 'letter' END ELSE '' END,
                CASE WHEN {answered} THEN {self.moment("p.answered_s")} END,
                CASE WHEN {answered} THEN p.reviewer_id END, NULL, '', NULL,
                CASE WHEN p.status = 'closed' THEN {self.moment("p.closed_s")} END,
                {self.moment(last_change)}
            FROM ({plan}) AS p"""
        )
        prefix, suffix = url_parts("complaints:detail")
        clock_kinds = values(
            "ck",
            "n, kind, due_after_s, warn_after_s",
            [
                (0, FORWARDING_CLOCK, 22 * HOUR, 20 * HOUR),  # 11:00 the next business day, told 2 hours before
                (1, ANSWER_CLOCK, 14 * DAY, 14 * DAY * 70 // 100),  # 10 business days, warned at 70 %
                (2, LEGAL_CLOCK, 21 * DAY, 21 * DAY * 80 // 100),  # 15 business days, warned at 80 %
            ],
        )
        self.stage_clocks(
            [*ctes, clock_kinds],
            f"""SELECT {self.types[Complaint]}, q.id, q.kind, q.register_number || ' · ' || q.full_name,
                {literal(prefix)} || q.id || {literal(suffix)}, q.branch_id, q.owner_id, q.received_s,
                q.received_s + q.due_after_s, q.received_s + q.warn_after_s,
                CASE WHEN {self.happened("q.ended_s")} THEN 'met' END,
                CASE WHEN {self.happened("q.ended_s")} THEN q.ended_s END, ''
            FROM (
                SELECT p.id, p.register_number, c.full_name, p.branch_id, p.received_s, ck.kind, ck.due_after_s,
                    ck.warn_after_s, CASE WHEN ck.n = 0 THEN p.operator_id ELSE p.manager_id END AS owner_id,
                    CASE WHEN ck.n = 0 THEN p.forwarded_s ELSE p.answered_s END AS ended_s
                FROM ({plan}) AS p CROSS JOIN ck JOIN directory_customer c ON c.id = p.customer_id
            ) AS q""",
        )
        # The forwarding e-mails: sent a minute after they were queued, or failed (the complaint stays
        # registered, its forwarding clock runs on). Then the proof of each, the counters and the pages.
        failed = f"p.forwarded_s = {self.far} AND {self.happened('p.received_s + p.forward_after_s + 1800')}"
        queued = f"CASE WHEN {failed} THEN p.received_s + p.forward_after_s ELSE p.forwarded_s - 60 END"
        self.run(
            f"""{self.with_(*ctes)}
            INSERT INTO alerts_outboundemail (id, purpose, content_type_id, object_id, "to", cc, subject,
                text_body, html_body, attachments, requested_by_id, created_at, next_attempt_at, claimed_until,
                claim, attempts, sent_at, message_id, failed_at, last_error)
            SELECT {self.offsets[OutboundEmail]} + p.i, {literal(FORWARDING_PURPOSE)}, {self.types[Complaint]},
                p.id, {sql.json(["bench-manager@bench.invalid"])}, {sql.json(["bench-deputy@bench.invalid"])},
                'Complaint ' || p.register_number, 'The complaint, its pages and its clocks.', '', {sql.json([])},
                p.operator_id, {self.moment(queued)}, {self.moment(queued)}, NULL, '',
                CASE WHEN {failed} THEN 12 ELSE 1 END,
                CASE WHEN {failed} THEN NULL ELSE {self.moment("p.forwarded_s")} END,
                CASE WHEN {failed} THEN '' ELSE '<bench-' || p.id || '@bench.invalid>' END,
                CASE WHEN {failed} THEN {self.moment(queued + " + 1800")} END,
                CASE WHEN {failed} THEN 'SMTP 550: mailbox unavailable' ELSE '' END
            FROM ({plan}) AS p
            WHERE {self.happened("p.forwarded_s")} OR ({failed})"""
        )
        self.run(
            f"""INSERT INTO complaints_complaintforwarding (complaint_id, email_id, requested_at, requested_by_id,
                "to", cc, photos_attached, sent_at, message_id)
            SELECT e.object_id, e.id, e.created_at, e.requested_by_id, e."to", e.cc, TRUE, e.sent_at, e.message_id
            FROM alerts_outboundemail e WHERE e.id > {self.offsets[OutboundEmail]}"""
        )
        self.run(
            f"""INSERT INTO complaints_registercounter (branch_id, year, last_number)
            SELECT branch_id, year, MAX(number) FROM complaints_complaint
            WHERE id > {self.offsets[Complaint]} GROUP BY branch_id, year"""
        )
        self.run(
            f"""{self.with_(self.sql.series("k", 2))}
            INSERT INTO complaints_complaintpage (complaint_id, position, image, thumbnail, original_name, size,
                width, height, sha256, duplicate_of_id, uploaded_at, uploaded_by_id)
            SELECT cp.id, k.i, 'complaints/bench/' || cp.id || '-' || k.i || '.jpg',
                'complaints/bench/' || cp.id || '-' || k.i || '-thumb.jpg', 'page-' || k.i || '.jpg',
                300000 + cp.id % 200000, 1600, 2200, {sql.padded("cp.id * 10 + k.i", 64)}, NULL, cp.registered_at,
                cp.registered_by_id
            FROM complaints_complaint cp JOIN k ON k.i <= 1 + cp.id % 2
            WHERE cp.id > {self.offsets[Complaint]} AND cp.channel = 'complaint_book'"""
        )

    # --- escalations --------------------------------------------------------------------------------------

    def escalation_ctes(self) -> list[str]:
        kinds = list(EscalationKind.objects.filter(is_active=True).order_by("position", "pk"))
        if not kinds:
            raise CommandError("No active escalation kind: run the migrations (they make the default ones).")
        weights = [KIND_WEIGHTS.get(kind.code, 5) for kind in kinds]
        self.kind_total = sum(weights)
        rows = [
            (
                kind.pk,
                low,
                high,
                term_seconds(kind.contact_within, kind.unit),
                kind.first_level,
                NEXT_LEVEL[kind.first_level],
                1 if kind.names_an_operator else 0,
                kind.label,
            )
            for kind, (low, high) in zip(kinds, ranges(weights), strict=True)
        ]
        return [
            self.sql.series("n", self.sizes.escalations),
            self.sql.series("k", 2),
            self.branches(),
            self.operators(),
            self.operators("o2"),
            self.supervisors(),
            values("ek", "id, lo, hi, term_s, first_level, next_level, about, label", rows),
        ]

    def escalation_plan(self) -> str:
        """One row per escalation ``i``: its branch, customer, kind, when it was opened; whether nobody
        acknowledged it in time (``raise_draw`` < 25) and so it was raised when its first clock ran out; when it
        was acknowledged, the customer called back (20–90 % of the term, 10 % late) and closed."""
        i, n = "n.i", self.sizes.escalations
        contact = draw(i, 7, 100)
        base = f"""
            SELECT n.i, {self.offsets[Escalation]} + n.i AS id, b.id AS branch_id, b.head_id, ek.id AS kind_id,
                ek.term_s, ek.first_level, ek.next_level, ek.about, ek.label AS kind_label, o.id AS operator_id,
                o2.id AS about_candidate, s.id AS supervisor_id, {self.customer_of(i)} AS customer_id,
                {self.spread(i, n)} AS opened_s, {draw(i, 6, 100)} AS raise_draw,
                CASE WHEN {contact} < 90 THEN 20 + {draw(i, 8, 70)} ELSE 110 + {draw(i, 8, 70)} END AS contact_pct,
                {HOUR} + {draw(i, 9, 2 * DAY)} AS close_after_s, {draw(i, 10, 100)} AS outcome_draw,
                {draw(i, 11, 100)} AS stuck_draw
            FROM n {self.branch_of(i)} {self.operator_of(i, 4)} {self.operator_of(i, 12, "o2")}
            JOIN s ON s.slot = b.slot AND s.n = {draw(i, 13, SUPERVISORS_PER_BRANCH)}
            JOIN ek ON {draw(i, 3, self.kind_total)} >= ek.lo AND {draw(i, 3, self.kind_total)} < ek.hi"""
        raised = f"""
            SELECT x.*, x.opened_s + x.term_s AS first_due_s,
                CASE WHEN x.raise_draw < 25 AND {self.happened("x.opened_s + x.term_s")} THEN 1 ELSE 0 END AS raised,
                CASE WHEN x.raise_draw < 25 THEN x.opened_s + x.term_s ELSE x.opened_s END AS handled_from_s,
                CASE WHEN x.opened_s >= {self.now - 30 * DAY} AND x.stuck_draw = 0 THEN 1 ELSE 0 END AS stuck
            FROM ({base}) AS x"""
        handled = f"""
            SELECT y.*, y.handled_from_s + y.term_s * y.contact_pct / 250 AS acknowledged_s,
                CASE WHEN y.stuck = 1 THEN {self.far} ELSE y.handled_from_s + y.term_s * y.contact_pct / 100 END
                    AS contacted_s,
                CASE WHEN y.raised = 1 THEN y.next_level ELSE y.first_level END AS level,
                CASE WHEN y.raised = 1 THEN y.first_due_s ELSE y.opened_s END AS current_opened_s
            FROM ({raised}) AS y"""
        return f"""
            SELECT z.*, z.contacted_s + z.close_after_s AS closed_s,
                CASE WHEN z.acknowledged_s > {self.now} THEN 'open' WHEN z.contacted_s > {self.now} THEN 'acknowledged'
                     WHEN z.contacted_s + z.close_after_s > {self.now} THEN 'contacted' ELSE 'closed' END AS status,
                CASE WHEN z.acknowledged_s > {self.now} THEN NULL WHEN z.level = 'supervisor' THEN z.supervisor_id
                     ELSE z.head_id END AS handler_id
            FROM ({handled}) AS z"""

    def load_escalations(self) -> None:
        ctes, plan = self.escalation_ctes(), self.escalation_plan()
        contacted, closed = "p.status IN ('contacted', 'closed')", "p.status = 'closed'"
        outcome = (
            "CASE WHEN p.outcome_draw < 85 THEN 'resolved' WHEN p.outcome_draw < 95 THEN 'declined' ELSE 'security' END"
        )
        self.run(
            f"""{self.with_(*ctes)}
            INSERT INTO escalations_escalation (id, branch_id, customer_id, kind_id, customer_wants, source,
                callback_id, complaint_id, about_operator_id, opened_by_id, opened_at, level, status, due_at,
                raised_at, reached_security_at, acknowledged_at, acknowledged_by_id, contacted_at, contacted_by_id,
                contact_note, outcome, outcome_note, resulting_complaint_id, closed_at, closed_by_id)
            SELECT p.id, p.branch_id, p.customer_id, p.kind_id, 'To speak with someone who can decide.', 'call',
                NULL, NULL, CASE WHEN p.about = 1 THEN p.about_candidate END, p.operator_id,
                {self.moment("p.opened_s")}, p.level, p.status,
                CASE WHEN p.status IN ('open', 'acknowledged') THEN {self.moment("p.current_opened_s + p.term_s")} END,
                CASE WHEN p.raised = 1 THEN {self.moment("p.first_due_s")} END,
                CASE WHEN p.raised = 1 AND p.level = 'security' THEN {self.moment("p.first_due_s")}
                     WHEN {closed} AND p.outcome_draw >= 95 THEN {self.moment("p.closed_s")} END,
                CASE WHEN p.status <> 'open' THEN {self.moment("p.acknowledged_s")} END, p.handler_id,
                CASE WHEN {contacted} THEN {self.moment("p.contacted_s")} END,
                CASE WHEN {contacted} THEN p.handler_id END,
                CASE WHEN {contacted} THEN 'Called the customer back and agreed what happens next.' ELSE '' END,
                CASE WHEN {closed} THEN {outcome} ELSE '' END,
                CASE WHEN {closed} THEN 'Done as agreed.' ELSE '' END, NULL,
                CASE WHEN {closed} THEN {self.moment("p.closed_s")} END, CASE WHEN {closed} THEN p.handler_id END
            FROM ({plan}) AS p"""
        )
        prefix, suffix = url_parts("escalations:detail")
        first, second = "k.i = 1", "k.i = 2"
        self.stage_clocks(
            ctes,
            f"""SELECT {self.types[Escalation]}, p.id,
                'escalation_' || CASE WHEN {first} THEN p.first_level ELSE p.next_level END,
                'Escalation #' || p.id || ' · ' || c.full_name || ' · ' || p.kind_label,
                {literal(prefix)} || p.id || {literal(suffix)}, p.branch_id,
                CASE WHEN {first} AND p.raised = 1 THEN NULL ELSE p.handler_id END,
                CASE WHEN {first} THEN p.opened_s ELSE p.first_due_s END,
                CASE WHEN {first} THEN p.first_due_s ELSE p.first_due_s + p.term_s END,
                CASE WHEN {first} THEN p.opened_s ELSE p.first_due_s END + p.term_s / 2,
                CASE WHEN {first} AND p.raised = 1 THEN 'cancelled'
                     WHEN {self.happened("p.contacted_s")} THEN 'met' END,
                CASE WHEN {first} AND p.raised = 1 THEN p.first_due_s
                     WHEN {self.happened("p.contacted_s")} THEN p.contacted_s END,
                CASE WHEN {first} AND p.raised = 1 THEN 'Nobody acknowledged it in time: raised.' ELSE '' END
            FROM ({plan}) AS p JOIN k ON {first} OR ({second} AND p.raised = 1)
            JOIN directory_customer c ON c.id = p.customer_id""",
        )

    # --- the clocks of other kinds, the deadline table, the alerts -----------------------------------------

    def load_clocks(self) -> None:
        """Fill the million with written requests, then write every staged clock in the order it opened."""
        self.case_clocks = self.staged
        count = max(self.sizes.clocks - self.case_clocks, 0)
        if count:
            self.stage_requests(count)
        policies = ClockPolicy.objects.filter(
            kind__in=[
                CALLBACK_CLOCK,
                FORWARDING_CLOCK,
                ANSWER_CLOCK,
                LEGAL_CLOCK,
                BENCH_KIND,
                *ESCALATION_CLOCKS.values(),
            ]
        )
        policy_rows = [
            (p.kind, int(p.long_overdue_after.total_seconds()), int(p.remind_every.total_seconds())) for p in policies
        ]
        now, sql = self.now, self.sql
        running_late = f"c.ended IS NULL AND c.due_s <= {now}"
        next_reminder = f"{now} + 60 + c.object_id % pol.remind_s"
        self.run(
            f"""{self.with_(values("pol", "kind, long_s, remind_s", policy_rows))}
            INSERT INTO deadlines_deadline (content_type_id, object_id, kind, title, case_url, branch_id, owner_id,
                opened_at, due_at, warn_at, rule, state, met_at, met_late, cancel_reason, paused_at, pause_reason,
                paused_total, round, overdue_since, long_overdue_at, next_reminder_at, reminders_sent)
            SELECT c.content_type_id, c.object_id, c.kind, c.title, c.case_url, c.branch_id, c.owner_id,
                {self.moment("c.opened_s")}, {self.moment("c.due_s")}, {self.moment("c.warn_s")},
                {sql.json({"basis": "fixed"})},
                CASE WHEN c.ended IS NOT NULL THEN c.ended WHEN c.due_s <= {now} THEN 'overdue'
                     WHEN c.warn_s <= {now} THEN 'due_soon' ELSE 'on_track' END,
                CASE WHEN c.ended = 'met' THEN {self.moment("c.ended_s")} END,
                CASE WHEN c.ended = 'met' THEN c.ended_s > c.due_s END,
                c.cancel_reason, NULL, '', {sql.no_time}, 1,
                CASE WHEN {running_late} THEN {self.moment("c.due_s")} END,
                CASE WHEN {running_late} AND c.due_s + pol.long_s <= {now}
                     THEN {self.moment("c.due_s + pol.long_s")} END,
                CASE WHEN {running_late} THEN {self.moment(next_reminder)} END,
                CASE WHEN {running_late} AND ({now} - c.due_s) / pol.remind_s < 50 THEN ({now} - c.due_s) / pol.remind_s
                     WHEN {running_late} THEN 50 ELSE 0 END
            FROM bench_clock c JOIN pol ON pol.kind = c.kind
            ORDER BY c.opened_s, c.object_id, c.kind"""
        )
        written = Deadline.objects.filter(pk__gt=self.offsets[Deadline]).count()
        if written != self.staged:
            raise CommandError(f"{self.staged - written} clocks of a kind without a policy were not written.")
        self.run("DROP TABLE bench_clock")

    def stage_requests(self, count: int) -> None:
        """``count`` written requests on the customers, due in 3 days: met at 20–109 % of the term, 5 %
        cancelled, 1 % of the recent ones forgotten. Request ``j`` is on customer ``(j - 1) % customers``: the
        open ones are among the last requests, so no customer has two open at once (one open clock per kind)."""
        customers, term = self.sizes.customers, 3 * DAY
        forgotten_since = self.now - min(60 * DAY, SPAN * (customers // 2) // count)
        if count * (term * 11 // 10) // SPAN >= customers // 2:
            raise CommandError("Too few customers for so many clocks: raise --cases or lower --clocks.")
        prefix, suffix = url_parts("directory:customer-detail")
        j = "n.i"
        opened = self.spread(j, count)
        met_after = f"{term} * (20 + {draw(j, 7, 90)}) / 100"
        self.stage_clocks(
            [self.sql.series("n", count), self.operators()],
            f"""SELECT {self.types[Customer]}, r.customer_id, {literal(BENCH_KIND)},
                'Written request · ' || c.full_name, {literal(prefix)} || r.customer_id || {literal(suffix)},
                c.branch_id,
                CASE WHEN r.owner_draw < 10 THEN NULL ELSE o.id END, r.opened_s, r.opened_s + {term},
                r.opened_s + {term * 3 // 4},
                CASE WHEN r.opened_s >= {forgotten_since} AND r.forgotten_draw = 0 THEN NULL
                     WHEN r.end_draw < 5 AND {self.happened("r.opened_s + r.met_after_s / 2")} THEN 'cancelled'
                     WHEN r.end_draw >= 5 AND {self.happened("r.opened_s + r.met_after_s")} THEN 'met' END,
                CASE WHEN r.end_draw < 5 THEN r.opened_s + r.met_after_s / 2 ELSE r.opened_s + r.met_after_s END,
                CASE WHEN r.end_draw < 5 THEN 'Withdrawn by the customer.' ELSE '' END
            FROM (
                SELECT n.i, {self.offsets[Customer]} + 1 + (n.i - 1) % {customers} AS customer_id,
                    (n.i - 1) % {customers} % {len(BRANCHES)} AS slot, {opened} AS opened_s,
                    {met_after} AS met_after_s, {draw(j, 8, 100)} AS owner_draw, {draw(j, 9, 100)} AS end_draw,
                    {draw(j, 10, 100)} AS forgotten_draw, {draw(j, 4, OPERATORS_PER_BRANCH)} AS operator_n
                FROM n
            ) AS r
            JOIN directory_customer c ON c.id = r.customer_id JOIN o ON o.slot = r.slot AND o.n = r.operator_n""",
        )

    def load_alerts(self) -> None:
        """What the scan wrote over the two years: "due soon" to the owner (a supervisor when nobody owns the
        clock) for each clock whose warning moment passed while it ran; "overdue" to the owner and the
        branch's supervisor for each clock that ran late. Sent a minute later; 1 in 400 failed."""
        sql = self.sql
        recipients = values("sup", "branch_id, id", [(b.branch.pk, b.supervisor_ids[0]) for b in self.staff.branches])
        late = "d.due_at <= {now} AND (d.met_at > d.due_at OR (d.met_at IS NULL AND d.state <> 'cancelled'))"
        cases = [
            (
                "due_soon",
                "d.warn_at",
                "COALESCE(d.owner_id, sup.id)",
                "d.warn_at <= {now} AND d.state <> 'cancelled' AND (d.met_at IS NULL OR d.met_at >= d.warn_at)",
            ),
            ("overdue", "d.due_at", "COALESCE(d.owner_id, sup.id)", late),
            ("overdue", "d.due_at", "sup.id", late + " AND d.owner_id IS NOT NULL AND d.owner_id <> sup.id"),
        ]
        for level, column, recipient, condition in cases:
            failed = f"{draw('d.object_id * 16 + d.content_type_id', 20, 400)} = 0"
            at = sql.seconds(column)
            self.run(
                f"""{self.with_(recipients)}
                INSERT INTO alerts_alert (deadline_id, round, level, reminder, recipient_id, created_at,
                    next_attempt_at, claimed_until, claim, attempts, sent_at, message_id, failed_at, last_error)
                SELECT d.id, 1, {literal(level)}, 0, {recipient}, {column}, {column}, NULL, '',
                    CASE WHEN {failed} THEN 12 ELSE 1 END,
                    CASE WHEN {failed} THEN NULL ELSE {self.moment(at + " + 60")} END,
                    CASE WHEN {failed} THEN '' ELSE '<alert-' || d.id || '@bench.invalid>' END,
                    CASE WHEN {failed} THEN {self.moment(at + " + 3600")} END,
                    CASE WHEN {failed} THEN 'SMTP 451: try again later' ELSE '' END
                FROM deadlines_deadline d JOIN sup ON sup.branch_id = d.branch_id
                WHERE d.id > {self.offsets[Deadline]} AND {condition.format(now=self.moment(str(self.now)))}"""
            )

    def check_foreign_keys(self) -> None:
        """The foreign keys are deferred to the commit, which never comes: check each one here with one anti-join,
        so that a mistake in the statements above stops the run instead of giving plausible pages."""
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for model in LOADED:
                for key in model._meta.concrete_fields:
                    if not (key.many_to_one or key.one_to_one):
                        continue
                    table, target = quote(model._meta.db_table), quote(key.target_field.column)
                    column = quote(key.column)
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {table} t LEFT JOIN {quote(key.related_model._meta.db_table)} r "
                        f"ON r.{target} = t.{column} WHERE t.{column} IS NOT NULL AND r.{target} IS NULL"
                    )
                    (broken,) = cursor.fetchone()
                    if broken:
                        raise CommandError(f"{broken} rows of {model._meta.db_table}.{key.column} point nowhere.")

    def analyze(self) -> None:
        for model in (*LOADED, get_user_model()):
            self.run(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def create_staging_table() -> None:
    """Every clock goes through this table (moments as Unix seconds), then into the deadline table at once."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_clock (content_type_id integer, object_id bigint, kind varchar(64), "
            "title varchar(300), case_url varchar(300), branch_id bigint, owner_id bigint, opened_s bigint, "
            "due_s bigint, warn_s bigint, ended varchar(16), ended_s bigint, cancel_reason text)"
        )


def bench_tables() -> list[str]:
    """The tables the command writes, for VACUUM."""
    models = (*LOADED, Branch, WorkingHours, Team, ClockPolicy, get_user_model())
    tables = [model._meta.db_table for model in models]
    tables += [
        get_user_model().branches.through._meta.db_table,
        get_user_model().groups.through._meta.db_table,
        Team.members.through._meta.db_table,
        "django_session",
    ]
    return tables


def create_request_policy() -> None:
    """The policy of the bench's own clock kind, the written requests."""
    ClockPolicy.objects.create(
        kind=BENCH_KIND,
        label="Bench: written request",
        warn_share=0.75,
        due_soon_recipients=[Recipient.OWNER],
        overdue_recipients=[Recipient.OWNER, Recipient.SUPERVISORS],
        long_overdue_recipients=[Recipient.BRANCH_MANAGER],
    )
