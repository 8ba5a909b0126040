"""Demo data: three branches in three time zones and two calendars, a user for every role, customers.

Idempotent: running it again updates the same rows and resets the demo passwords. It refuses to run
with production settings.
"""

from datetime import time

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from contactcenter.directory import roles
from contactcenter.directory.demo import demo_case_steps
from contactcenter.directory.models import Branch, Customer, Team, User, WorkingHours

DEMO_PASSWORD = "demo-pass-2026"

BRANCHES = [
    # code, name, address, time zone, country, weekday hours
    ("MSK", "Moscow, Tverskaya", "Tverskaya 1, Moscow", "Europe/Moscow", "RU", (time(9), time(18))),
    ("EKB", "Yekaterinburg, Lenina", "Lenina 10, Yekaterinburg", "Asia/Yekaterinburg", "RU", (time(9), time(18))),
    ("BUD", "Budapest, Andrássy", "Andrássy út 5, Budapest", "Europe/Budapest", "HU", (time(8), time(17))),
]

# username, first name, last name, role, branch codes
STAFF = [
    ("operator", "Olga", "Orlova", roles.OPERATOR, ["MSK"]),
    ("operator2", "Pavel", "Petrov", roles.OPERATOR, ["MSK"]),
    ("supervisor", "Svetlana", "Smirnova", roles.SUPERVISOR, ["MSK"]),
    ("head", "Hleb", "Homenko", roles.HEAD_OF_DEPARTMENT, ["MSK"]),
    ("manager", "Mikhail", "Morozov", roles.BRANCH_MANAGER, ["MSK"]),
    ("deputy", "Daria", "Demidova", roles.DEPUTY_DIRECTOR, []),
    ("security", "Sergei", "Sokolov", roles.SECURITY, ["MSK", "EKB"]),
    ("admin", "Anna", "Adminova", roles.ADMINISTRATOR, []),
    ("ekb_operator", "Egor", "Ermakov", roles.OPERATOR, ["EKB"]),
    ("ekb_supervisor", "Elena", "Efimova", roles.SUPERVISOR, ["EKB"]),
    ("ekb_manager", "Evgeny", "Egorov", roles.BRANCH_MANAGER, ["EKB"]),
    ("bud_operator", "Bence", "Balogh", roles.OPERATOR, ["BUD"]),
    ("bud_supervisor", "Boglárka", "Bíró", roles.SUPERVISOR, ["BUD"]),
    ("bud_manager", "Balázs", "Bakos", roles.BRANCH_MANAGER, ["BUD"]),
]

CUSTOMERS = {
    "MSK": [
        ("Ivan Ivanov", "+79161234567"),
        ("Maria Kuznetsova", "+79031112233"),
        ("Alexei Sidorov", "+74957654321"),
        ("Natalia Volkova", "+79265550101"),
    ],
    "EKB": [("Dmitry Popov", "+73432123456"), ("Irina Lebedeva", "+79221234567")],
    "BUD": [("Kovács János", "+36301234567"), ("Nagy Éva", "+3612345678")],
}


class Command(BaseCommand):
    help = "Create or refresh the demo branches, staff (one per role) and customers."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo refuses to run with DJANGO_ENV=production: it resets passwords.")
        with transaction.atomic():
            branches = self._branches()
            users = self._staff(branches)
            self._teams(branches, users)
            self._customers(branches, users)
            demo_case_steps.send(branches=branches, users=users)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(branches)} branches, {len(users)} staff."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, _first, _last, role, codes in STAFF:
            where = ", ".join(codes) or "all branches"
            self.stdout.write(f"  {username:<15} {role} ({where})")

    def _branches(self):
        branches = {}
        for code, name, address, zone, country, (opens, closes) in BRANCHES:
            branch, _ = Branch.objects.update_or_create(
                code=code, defaults={"name": name, "address": address, "time_zone": zone, "country": country}
            )
            for weekday in range(5):
                WorkingHours.objects.update_or_create(
                    branch=branch, weekday=weekday, defaults={"opens": opens, "closes": closes}
                )
            branches[code] = branch
        return branches

    def _staff(self, branches):
        users = {}
        for username, first, last, role, codes in STAFF:
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@demo.contactcenter.local",
                    "is_staff": role == roles.ADMINISTRATOR,
                    "is_superuser": role == roles.ADMINISTRATOR,
                    "language": "en" if codes == ["BUD"] else "ru",
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            user.branches.set([branches[code] for code in codes])
            users[username] = user
        for code, manager, deputy in [
            ("MSK", "manager", "deputy"),
            ("EKB", "ekb_manager", "deputy"),
            ("BUD", "bud_manager", "deputy"),
        ]:
            branch = branches[code]
            branch.manager, branch.deputy_director = users[manager], users[deputy]
            branch.save(update_fields=["manager", "deputy_director"])
        return users

    def _teams(self, branches, users):
        for code, supervisor, members in [
            ("MSK", "supervisor", ["operator", "operator2"]),
            ("EKB", "ekb_supervisor", ["ekb_operator"]),
            ("BUD", "bud_supervisor", ["bud_operator"]),
        ]:
            team, _ = Team.objects.update_or_create(
                branch=branches[code], name="Line 1", defaults={"supervisor": users[supervisor]}
            )
            team.members.set([users[name] for name in members])

    def _customers(self, branches, users):
        for code, people in CUSTOMERS.items():
            for full_name, phone in people:
                Customer.objects.update_or_create(
                    branch=branches[code], phone=phone, defaults={"full_name": full_name, "created_by": users["admin"]}
                )
