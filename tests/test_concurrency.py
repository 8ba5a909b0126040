"""The race tests' helper gives up on a stuck thread instead of hanging the run."""

import threading
import time

import pytest

from tests.concurrency import at_once


def test_every_action_runs_and_its_error_is_kept():
    def fails():
        raise ValueError("refused")

    results, errors = at_once(lambda: 1, fails, lambda: 3)
    assert results == [1, None, 3]
    assert [str(error) for error in errors] == ["refused"]


def test_a_stuck_thread_fails_the_test_in_time():
    release = threading.Event()
    started = time.perf_counter()
    try:
        with pytest.raises(AssertionError, match=r"still running after 0\.5 s: a deadlock"):
            at_once(lambda: None, lambda: release.wait(30), timeout=0.5)
        assert time.perf_counter() - started < 5
    finally:
        release.set()
