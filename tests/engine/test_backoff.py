import random
import statistics

import pytest

from guestmsg.core.backoff import backoff_delay


def test_formula_is_uniform_fraction_of_the_exponential_ceiling():
    assert backoff_delay(0, rng=lambda: 0.5) == 1.0
    assert backoff_delay(3, rng=lambda: 0.5) == 8.0
    assert backoff_delay(3, base=10, rng=lambda: 0.25) == 20.0


@pytest.mark.parametrize("attempt", range(0, 12))
def test_delay_stays_within_zero_and_the_ceiling(attempt):
    ceiling = min(3600, 2.0 * 2 ** attempt)
    assert backoff_delay(attempt, rng=lambda: 0.0) == 0.0
    high = backoff_delay(attempt, rng=lambda: 0.999999)
    assert ceiling * 0.999 < high < ceiling


def test_cap_limits_large_attempts_without_overflow():
    assert backoff_delay(20, rng=lambda: 0.999) == pytest.approx(3596.4)
    assert backoff_delay(10_000, rng=lambda: 0.5) == 1800.0
    assert backoff_delay(5, cap=10, rng=lambda: 0.5) == 5.0


def test_negative_attempt_counts_as_the_first():
    assert backoff_delay(-3, rng=lambda: 0.5) == backoff_delay(0, rng=lambda: 0.5)


def test_full_jitter_is_spread_uniformly_over_the_interval():
    rng = random.Random(20240601).random
    samples = [backoff_delay(4, rng=rng) for _ in range(20_000)]
    ceiling = 32.0
    assert all(0.0 <= s < ceiling for s in samples)
    assert statistics.fmean(samples) == pytest.approx(ceiling / 2, rel=0.03)
    assert min(samples) < 0.05 * ceiling
    assert max(samples) > 0.95 * ceiling
    for quarter in (0.25, 0.5, 0.75):
        share = sum(s < quarter * ceiling for s in samples) / len(samples)
        assert share == pytest.approx(quarter, abs=0.02)


def test_same_seed_gives_same_delays():
    first = [backoff_delay(a, rng=random.Random(7).random) for a in range(6)]
    second = [backoff_delay(a, rng=random.Random(7).random) for a in range(6)]
    assert first == second


def test_retry_after_is_a_floor():
    assert backoff_delay(0, retry_after=30, rng=lambda: 0.0) == 30.0
    # a longer jittered delay is kept
    assert backoff_delay(6, retry_after=5, rng=lambda: 0.5) == 64.0


def test_retry_after_wins_over_the_cap():
    assert backoff_delay(30, cap=60, retry_after=120, rng=lambda: 0.9) == 120.0


def test_zero_retry_after_changes_nothing():
    assert backoff_delay(2, retry_after=0, rng=lambda: 0.5) == 4.0


def test_floor_is_the_shortest_delay():
    assert backoff_delay(0, base=5, rng=lambda: 0.0, floor=2) == 2.0
    assert backoff_delay(0, base=5, rng=lambda: 0.9, floor=2) == 4.5
    assert backoff_delay(0, base=5, rng=lambda: 0.0, floor=2, retry_after=30) == 30.0
