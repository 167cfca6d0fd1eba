"""What generation steps share: the context (seeded randomness, what was made so far) and the stats."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TextIO

from faker import Faker


@dataclass
class GenerationStats:
    preset: str
    scale: float
    seed: int
    counts: dict[str, int] = field(default_factory=dict)  # table label → rows written
    seconds: float = 0.0
    step_seconds: dict[str, float] = field(default_factory=dict)
    logins: list[tuple[str, str]] = field(default_factory=list)  # (login, who) shown at the end
    all_logins: list[str] = field(default_factory=list)  # every demo username
    notes: list[str] = field(default_factory=list)  # lines a step wants printed after the logins (a demo API key)

    def add(self, table: str, n: int) -> None:
        self.counts[table] = self.counts.get(table, 0) + n

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


@dataclass
class GenerationContext:
    """Passed to every step. Steps read what earlier steps made (district, streets, units …) and add their own.

    Randomness: never the global `random`. Each step asks for its own generator (`ctx.rng_for("households")`),
    derived from the seed and the step's name, so adding or reordering steps does not change what the others make.
    """

    preset: str
    scale: float
    seed: int
    stats: GenerationStats
    stdout: TextIO | None = None
    password_hash: str = ""
    district: object = None  # places.Place
    streets: list = field(default_factory=list)
    committees: list = field(default_factory=list)
    committees_by_street: dict = field(default_factory=dict)  # street id → [community Place]
    street_weight: dict = field(default_factory=dict)  # street id → share of households (for enterprises, people)
    centre: dict = field(default_factory=dict)  # place id → (lat, lng) floats
    tags: dict = field(default_factory=dict)  # tag code → Tag
    units: dict = field(default_factory=dict)  # unit code → Unit
    extra: dict = field(default_factory=dict)  # free space for steps registered by other apps

    def rng_for(self, step: str) -> random.Random:
        return random.Random(f"{self.preset}:{self.seed}:{step}")

    def faker_for(self, step: str) -> Faker:
        fake = Faker("zh_CN")
        fake.seed_instance(self.rng_for(step).getrandbits(63))
        return fake

    def scaled(self, full: int, minimum: int = 0) -> int:
        return max(minimum, round(full * self.scale))

    def log(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message + "\n")
            self.stdout.flush()


def coord(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def apportion(total: int, weights: list[float]) -> list[int]:
    """Split `total` into integers proportional to `weights` (largest remainder; deterministic)."""
    if not weights:
        return []
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [int(x) for x in raw]
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


class Timer:
    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.cpu_start = time.process_time()

    @property
    def cpu(self) -> float:
        """This process's CPU time since the start (on a shared machine, steadier than the wall time)."""
        return time.process_time() - self.cpu_start

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.start
