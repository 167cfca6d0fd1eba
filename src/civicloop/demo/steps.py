"""The demo's own generation steps: a plain list of callables, run in order by `generator.generate`.

Each step is `step(ctx: GenerationContext) -> None`; it writes its rows (bulk, in batches) and records them with
`ctx.stats.add("<table>", n)`. Later steps read what earlier ones left on the context (district, streets,
committees, units, tags …). Another app extends the demo from its own package, on its AppConfig
(see `civicloop.core.registry`):

    demo_steps = ("civicloop.cases.demo.generate_cases",)       # run after these steps, in INSTALLED_APPS order
    demo_reset_steps = ("civicloop.cases.demo.delete_cases",)   # `demo --reset`: before the demo's own rows go

A reset step is `reset(district: Place) -> None` and must delete its app's rows of that district (they usually
point at places, units and users with PROTECT, so they have to go first).
Use `ctx.rng_for("<step name>")` / `ctx.faker_for(...)` for randomness, never the global `random`.
"""

from __future__ import annotations

from collections.abc import Callable

from .economy import generate_economy
from .organisation import generate_people, generate_units_and_staff
from .territory import generate_households, generate_territory

STEPS: list[Callable] = [
    generate_territory,  # district, 13 streets, 312 committees, compounds, buildings, tags
    generate_households,  # households with key-group tags
    generate_economy,  # 8 zones, 154 park buildings, enterprises
    generate_units_and_staff,  # units and demo logins
    generate_people,  # representatives, lawyers, volunteers, party members, cadres
]
