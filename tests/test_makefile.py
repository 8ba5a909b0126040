"""`make run HOST=… PORT=…`: the links in e-mails point where the back office listens, unless SITE_URL says."""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def planned_start(*args, **env) -> str:
    """The command `make run` would start the processes with (``make -n`` prints it and runs nothing)."""
    environment = {key: value for key, value in os.environ.items() if key != "SITE_URL"} | env
    plan = subprocess.run(
        ["make", "-n", "-C", str(ROOT), "run", *args], capture_output=True, text=True, check=True, env=environment
    ).stdout
    return next(line for line in plan.splitlines() if "honcho start" in line)


def test_links_follow_the_host_and_port_make_run_listens_on():
    assert "SITE_URL=http://10.1.2.3:8081 " in planned_start("HOST=10.1.2.3", "PORT=8081")
    assert "SITE_URL=http://127.0.0.1:8000 " in planned_start()


def test_listening_on_every_address_links_to_one_the_machine_can_be_reached_at():
    start = planned_start("HOST=0.0.0.0", "PORT=8080")
    assert "SITE_URL=http://0.0.0.0" not in start
    assert ":8080 " in start.split("SITE_URL=", 1)[1]


def test_a_site_url_set_in_the_environment_wins():
    assert "SITE_URL=https://backoffice.example.com " in planned_start(
        "PORT=8081", SITE_URL="https://backoffice.example.com"
    )
