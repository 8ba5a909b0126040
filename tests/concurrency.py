"""Actions run in threads at the same moment, for the race tests: none of them can hang the test run."""

import threading
import time

from django.db import connection

# A race test whose threads take longer than this is deadlocked, not slow: it fails instead of waiting for ever.
# (pytest-timeout, configured in pyproject.toml, stops any test as a last resort.)
TIMEOUT_SECONDS = 60


def at_once(*actions, timeout: float = TIMEOUT_SECONDS) -> tuple[list, list[Exception]]:
    """Run each action in its own thread with its own database connection, all released together; wait at most
    ``timeout`` seconds for them. Returns what each action returned (in their order; None for one that raised)
    and the exceptions raised, which a thread would otherwise swallow."""
    barrier = threading.Barrier(len(actions), timeout=timeout)
    results, errors = [None] * len(actions), []

    def run(index, action):
        try:
            barrier.wait()
            results[index] = action()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item, daemon=True) for item in enumerate(actions)]
    for thread in threads:
        thread.start()
    give_up_at = time.perf_counter() + timeout
    for thread in threads:
        thread.join(timeout=max(0.0, give_up_at - time.perf_counter()))
    stuck = [thread.name for thread in threads if thread.is_alive()]
    assert not stuck, f"{', '.join(stuck)} still running after {timeout} s: a deadlock?"
    return results, errors
