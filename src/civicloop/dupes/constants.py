"""The detector's knobs: how much text, place, category and time weigh, and where a suggestion starts. Chosen by a
coarse sweep (3 weightings x 4 floors x 3 thresholds) on the hand-written tuning set `data/tuning_set.json`, so
its figures are optimistic; the held-out set `data/heldout_set.json`, written after they were fixed, gives the
honest ones (evaluation.py). Change a knob by its effect on the tuning set, never on the held-out set's misses."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlacePart(models.TextChoices):
    """What two complaints share of a place, most precise first."""

    BUILDING = "building", _("同一楼栋")  # the same building picked, or the same building number in one compound
    COMPOUND = "compound", _("同一小区")
    NEAR = "near", _("相距不到100米")  # both have coordinates within NEAR_METRES
    COMMUNITY = "community", _("同一居委")  # one of them named no compound: the community is all we know
    NONE = "none", _("不同地点")


PLACE_LABELS = dict(PlacePart.choices)
PLACE_WEIGHTS = {PlacePart.BUILDING: 1.0, PlacePart.COMPOUND: 0.7, PlacePart.NEAR: 0.7, PlacePart.COMMUNITY: 0.35,
                 PlacePart.NONE: 0.0}
NEAR_METRES = 100

# score = W_TEXT·text + W_PLACE·place + W_CATEGORY·category + W_TIME·recency (weights sum to 1)
W_TEXT, W_PLACE, W_CATEGORY, W_TIME = 0.45, 0.25, 0.22, 0.08
CATEGORY_UNKNOWN = 0.5  # one of them not triaged yet
WINDOW_DAYS = 30  # recency falls to 0 over this many days
TEXT_FLOOR = 0.15  # below: other words, whatever the place
OVERLAP_DISCOUNT = 0.9  # a shorter text's bigrams all in the longer one count a little less than the same text
THRESHOLD = 0.55  # a suggestion from this score on
MAX_SUGGESTIONS = 5

# MinHash LSH over the problem words' bigrams, for near-copies across places (every pair within one community is
# scored anyway: paraphrases share too few bigrams for any LSH): NUM_PERM permutations in BANDS bands of ROWS rows —
# a pair of Jaccard s collides in some band with probability 1 − (1 − s^ROWS)^BANDS (s = 0.6 → 0.67, 0.8 → 0.99,
# 0.3 → 0.06), so a common phrase does not pull in thousands of candidates at 100,000 open cases.
NUM_PERM, BANDS, ROWS = 32, 8, 4
