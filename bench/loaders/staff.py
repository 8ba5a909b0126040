"""The staff every benchmark works with: four branches and their people, one loader for all of them.

Four branches ``BENCHA``–``BENCHD`` (Moscow, Yekaterinburg, Novosibirsk, Budapest time zones; Monday to
Friday 9–18; financial organisations, so complaints carry the legal term), each with a manager, a head of
department, 2 supervisors (the first leads the branch's team) and 25 operators in that team; the bench
supervisor, who works in all four; the deputy director over all. Users are tagged ``bench-…`` and have no
usable password. What they are given to do (clocks, cases) is each loader's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from contactcenter.directory import roles
from contactcenter.directory.models import Branch, Team, WorkingHours

# code, time zone, calendar country, share of the cases in %
BRANCHES = [
    ("BENCHA", "Europe/Moscow", "RU", 40),
    ("BENCHB", "Asia/Yekaterinburg", "RU", 25),
    ("BENCHC", "Asia/Novosibirsk", "RU", 20),
    ("BENCHD", "Europe/Budapest", "HU", 15),
]
OPERATORS_PER_BRANCH = 25
SUPERVISORS_PER_BRANCH = 2

FIRST_NAMES = {
    "RU": [
        "Ivan",
        "Anna",
        "Sergei",
        "Olga",
        "Dmitry",
        "Elena",
        "Alexei",
        "Tatiana",
        "Mikhail",
        "Natalia",
        "Andrei",
        "Irina",
        "Pavel",
        "Svetlana",
        "Nikolai",
        "Maria",
        "Viktor",
        "Yulia",
        "Roman",
        "Ekaterina",
    ],
    "HU": [
        "László",
        "Mária",
        "István",
        "Erzsébet",
        "József",
        "Katalin",
        "János",
        "Ilona",
        "Zoltán",
        "Éva",
        "Sándor",
        "Anna",
        "Gábor",
        "Zsuzsanna",
        "Ferenc",
        "Margit",
        "Attila",
        "Judit",
        "Péter",
        "Ágnes",
    ],
}
SURNAMES = {
    "RU": [
        "Smirnov",
        "Ivanov",
        "Kuznetsov",
        "Popov",
        "Vasiliev",
        "Petrov",
        "Sokolov",
        "Mikhailov",
        "Novikov",
        "Fedorov",
        "Morozov",
        "Volkov",
        "Alekseev",
        "Lebedev",
        "Semenov",
        "Egorov",
        "Pavlov",
        "Kozlov",
        "Stepanov",
        "Nikolaev",
    ],
    "HU": [
        "Nagy",
        "Kovács",
        "Tóth",
        "Szabó",
        "Horváth",
        "Varga",
        "Kiss",
        "Molnár",
        "Németh",
        "Farkas",
        "Balogh",
        "Papp",
        "Takács",
        "Juhász",
        "Lakatos",
        "Mészáros",
        "Oláh",
        "Simon",
        "Rácz",
        "Fekete",
    ],
}


@dataclass
class BenchBranch:
    slot: int
    branch: Branch
    share: int
    manager_id: int
    head_id: int
    supervisor_ids: list[int]
    operator_ids: list[int]


@dataclass
class BenchStaff:
    branches: list[BenchBranch]
    supervisor: object  # the bench supervisor, over all four branches
    deputy: object

    @property
    def operators(self) -> int:
        return sum(len(branch.operator_ids) for branch in self.branches)

    @property
    def supervisors(self) -> int:
        return 1 + sum(len(branch.supervisor_ids) for branch in self.branches)


def create_staff() -> BenchStaff:
    """The branches with their hours, managers, heads of department, supervisors and operators (a team per
    branch), the bench supervisor and the deputy director. Made inside the caller's transaction."""
    user_model = get_user_model()
    unusable = make_password(None)
    groups = {group.name: group for group in Group.objects.filter(name__in=roles.ALL_ROLES)}
    memberships, roles_held = [], []
    counter = iter(range(10_000))

    def users(names: list[str], role: str, branches: list[Branch], country: str = "RU"):
        made = []
        for name in names:
            n = next(counter)
            made.append(
                user_model(
                    username=name,
                    email=f"{name}@bench.invalid",
                    password=unusable,
                    first_name=FIRST_NAMES[country][n % 20],
                    last_name=SURNAMES[country][n * 7 % 20],
                    language="en",
                )
            )
        made = user_model.objects.bulk_create(made)
        memberships.extend(user_model.branches.through(user_id=u.pk, branch_id=b.pk) for u in made for b in branches)
        roles_held.extend(user_model.groups.through(user_id=u.pk, group_id=groups[role].pk) for u in made)
        return made

    (deputy,) = users(["bench-deputy"], roles.DEPUTY_DIRECTOR, [])
    bench_branches = []
    for slot, (code, time_zone, country, share) in enumerate(BRANCHES):
        prefix = f"bench-{code.lower()}"
        (manager,) = users([f"{prefix}-manager"], roles.BRANCH_MANAGER, [], country)
        branch = Branch.objects.create(
            code=code,
            name=f"Bench {code[-1]}",
            time_zone=time_zone,
            country=country,
            manager=manager,
            deputy_director=deputy,
            is_financial_organisation=True,
        )
        memberships.append(user_model.branches.through(user_id=manager.pk, branch_id=branch.pk))
        WorkingHours.objects.bulk_create(WorkingHours(branch=branch, weekday=day) for day in range(5))
        (head,) = users([f"{prefix}-head"], roles.HEAD_OF_DEPARTMENT, [branch], country)
        supervisors = users(
            [f"{prefix}-supervisor{n}" for n in range(SUPERVISORS_PER_BRANCH)], roles.SUPERVISOR, [branch], country
        )
        operators = users(
            [f"{prefix}-operator{n}" for n in range(OPERATORS_PER_BRANCH)], roles.OPERATOR, [branch], country
        )
        team = Team.objects.create(branch=branch, name="Bench team", supervisor=supervisors[0])
        team.members.set(operators)
        bench_branches.append(
            BenchBranch(
                slot=slot,
                branch=branch,
                share=share,
                manager_id=manager.pk,
                head_id=head.pk,
                supervisor_ids=[user.pk for user in supervisors],
                operator_ids=[user.pk for user in operators],
            )
        )
    (supervisor,) = users(["bench-supervisor"], roles.SUPERVISOR, [b.branch for b in bench_branches])
    user_model.branches.through.objects.bulk_create(memberships)
    user_model.groups.through.objects.bulk_create(roles_held)
    return BenchStaff(branches=bench_branches, supervisor=supervisor, deputy=deputy)


def create_recipients(count: int) -> list[int]:
    """``count`` more members of staff (``bench-recipient…``, with an e-mail address) to receive digests."""
    user_model = get_user_model()
    unusable = make_password(None)
    made = user_model.objects.bulk_create(
        user_model(
            username=f"bench-recipient{n}", email=f"bench-recipient{n}@bench.invalid", password=unusable, language="en"
        )
        for n in range(count)
    )
    return [user.pk for user in made]
