"""`core.capacity.Gate`: at most `slots` run and `queue` wait, each a bounded time; any other is refused at once."""

from __future__ import annotations

import threading
import time

import pytest

from civicloop.core.capacity import Busy, Gate, gate_from_environment


def test_a_full_gate_with_a_full_queue_refuses_at_once():
    gate = Gate(slots=1, queue=0, wait=30, retry_after=3)
    with gate.slot():
        started = time.monotonic()
        with pytest.raises(Busy) as refused:
            with gate.slot():
                pass
        assert time.monotonic() - started < 1  # not the 30 s wait: nobody may queue
    assert refused.value.retry_after == 3
    with gate.slot():  # released: the next one gets in
        pass


def test_a_waiting_request_gets_the_slot_when_it_frees_or_gives_up_after_the_wait():
    gate = Gate(slots=1, queue=1, wait=0.3)
    held = threading.Event()
    release = threading.Event()

    def holder():
        with gate.slot():
            held.set()
            release.wait(5)

    t = threading.Thread(target=holder)
    t.start()
    held.wait(5)
    started = time.monotonic()
    with pytest.raises(Busy):  # the one slot stays taken: refused after the wait
        with gate.slot():
            pass
    assert 0.25 <= time.monotonic() - started < 3
    threading.Timer(0.1, release.set).start()
    with gate.slot():  # freed while this one waited: it runs
        pass
    t.join()


def test_the_gate_never_holds_more_than_slots_plus_queue_threads():
    gate = Gate(slots=2, queue=1, wait=2)
    inside, most, refused = [0], [0], [0]
    lock = threading.Lock()
    go = threading.Event()

    def request():
        try:
            with gate.slot():
                with lock:
                    inside[0] += 1
                    most[0] = max(most[0], inside[0])
                go.wait(5)
                with lock:
                    inside[0] -= 1
        except Busy:
            with lock:
                refused[0] += 1

    threads = [threading.Thread(target=request) for _ in range(8)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    assert refused[0] == 5  # 2 running and 1 waiting held threads; the other 5 were turned away at once
    go.set()
    for t in threads:
        t.join()
    assert most[0] == 2 and refused[0] == 5


def test_gate_sized_from_the_web_threads_or_the_environment(monkeypatch):
    for name in ("CIVICLOOP_WEB_THREADS", "X_SLOTS", "X_QUEUE", "X_WAIT", "X_RETRY_AFTER"):
        monkeypatch.delenv(name, raising=False)
    gate = gate_from_environment("X")
    assert (gate.slots, gate.queue) == (1, 1)  # serve's default of four threads: two stay free for pages
    monkeypatch.setenv("CIVICLOOP_WEB_THREADS", "8")
    assert (gate_from_environment("X").slots, gate_from_environment("X").queue) == (2, 2)
    monkeypatch.setenv("X_SLOTS", "3")
    monkeypatch.setenv("X_QUEUE", "0")
    monkeypatch.setenv("X_WAIT", "1.5")
    monkeypatch.setenv("X_RETRY_AFTER", "0.2")
    gate = gate_from_environment("X")
    assert (gate.slots, gate.queue, gate.wait, gate.retry_after) == (3, 0, 1.5, 1)  # whole seconds, at least one
