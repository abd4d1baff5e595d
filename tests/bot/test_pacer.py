"""The worker's pace: the configured rate on average, even when some sends are slow, with no long bursts."""

from __future__ import annotations

import itertools

from bot.worker import Pacer


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.now += seconds


def send_times(pacer: Pacer, clock: FakeClock, work: list[float]) -> list[float]:
    times = []
    for seconds in work:
        pacer.wait()
        times.append(clock.now)
        clock.now += seconds  # the claim, the request and the commit
    return times


def test_steady_sends_keep_the_rate() -> None:
    clock = FakeClock()
    times = send_times(Pacer(50, clock.monotonic, clock.sleep), clock, [0.005] * 300)
    assert abs(299 / (times[-1] - times[0]) - 50) / 50 < 0.01


def test_time_lost_in_slow_sends_is_made_up() -> None:
    clock = FakeClock()
    work = [0.005] * 300
    for i in range(0, 300, 10):
        work[i] = 0.045  # every tenth send is slow, as on a busy machine
    times = send_times(Pacer(50, clock.monotonic, clock.sleep), clock, work)
    rate = 299 / (times[-1] - times[0])
    assert abs(rate - 50) / 50 <= 0.05


def test_after_an_idle_spell_the_burst_is_bounded() -> None:
    clock = FakeClock()
    pacer = Pacer(50, clock.monotonic, clock.sleep)
    send_times(pacer, clock, [0.0] * 5)
    clock.now += 60  # nothing to send for a minute
    times = send_times(pacer, clock, [0.0] * 60)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 1 / 50 - 1e-9  # no burst: the timetable restarts from now
    assert abs(59 / (times[-1] - times[0]) - 50) / 50 < 0.01
