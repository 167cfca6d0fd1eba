"""Test helpers of the assessment (also the import template test's `example_setup`)."""

from __future__ import annotations


def make_closed_loop_set(world):
    """The closed-loop scorecard (code bihuan) in `world`'s district, made by its administrator."""
    from .services.sets import set_create
    from .templates_data import CLOSED_LOOP

    return set_create(actor=world.district_admin, code=CLOSED_LOOP["code"], name=CLOSED_LOOP["name"],
                      template=CLOSED_LOOP["code"])
