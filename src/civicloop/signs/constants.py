"""The vocabulary of city vital signs. One comment per word."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeviceKind(models.TextChoices):
    """What a device is; a metric names the kind of device that reports it (a silence rule watches those)."""

    ELEVATOR = "elevator", _("电梯")  # smart elevator: fault code, trapped-passenger signal
    PARKING = "parking", _("停车场")  # a compound's parking: occupancy %
    WATER_METER = "water_meter", _("智能水表")  # a household's water meter (elderly living alone)
    BIN = "bin", _("垃圾箱房")  # garbage bins: fill %
    MANHOLE = "manhole", _("井盖")  # manhole cover: tilt
    SMOKE = "smoke", _("烟感")  # smoke detector


class RuleKind(models.TextChoices):
    """How a rule reads a device's series (evaluate.py)."""

    THRESHOLD = "threshold", _("阈值")  # the latest reading past the warn / alarm level
    DURATION = "duration", _("持续")  # every reading past the level for at least `duration_minutes`
    REPETITION = "repetition", _("重复")  # at least `count` readings past the level within `window_minutes`
    SILENCE = "silence", _("静默")  # no activity (a reading, or one above `activity_above`) for `silence_minutes`


class Comparison(models.TextChoices):
    """Which side of a level is a breach."""

    ABOVE = "above", _("高于或等于")  # value >= level
    BELOW = "below", _("低于或等于")  # value <= level


class AlarmSeverity(models.IntegerChoices):
    """How bad a verdict or an alarm is; ordered, so a severity can only rise while the alarm is open."""

    NONE = 0, _("正常")  # no breach (never stored on an alarm)
    WARN = 1, _("预警")  # watch it: shown, no case
    ALARM = 2, _("报警")  # someone must act: the alarm opens one case


class AlarmAction(models.TextChoices):
    """The audit rows (core.AuditLog.action) and history entries of alarms and rules."""

    RAISE = "signs_alarm_raise", _("产生告警")
    RISE = "signs_alarm_rise", _("告警升级")
    CLEAR = "signs_alarm_clear", _("告警解除")
    ACKNOWLEDGE = "signs_alarm_ack", _("确认告警")
    ESCALATE = "signs_alarm_escalate", _("告警转工单")
    RULE_SAVE = "signs_rule_save", _("保存告警规则")
    DEVICE_REGISTER = "signs_device_register", _("登记设备")


class SignsImportKind(models.TextChoices):
    """The signs app's kinds of the imports framework (`import_kinds.py`)."""

    DEVICES = "devices", _("感知设备")  # devices bound to a place (and a household)


# Readings per ingestion request (a gateway's batch) and the bounds of a value (a float a person could mean:
# beyond them the sender is broken, and PostgreSQL's double would take it but no chart could draw it).
BATCH_MAX = 1000
VALUE_LIMIT = 1e12
# How far back a rule's evaluation reads the raw series beyond its own window, and how late a reading may arrive
# and still be evaluated (older ones are stored and drawn, but raise nothing: the moment has passed).
LATE_LIMIT_HOURS = 48
# A place's history chart: days shown, read from the hourly rollups (never the raw readings).
CHART_DAYS = 30
# Elderly-care rules send their case to the household's committee (the rule's `to_committee`).
