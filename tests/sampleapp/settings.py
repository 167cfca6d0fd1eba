"""civicloop's settings with one more app: the only change "How to add an app" allows outside the app."""

from civicloop.settings import *  # noqa: F403
from civicloop.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.sampleapp"]
