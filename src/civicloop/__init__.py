"""civicloop 民情闭环 — grassroots governance as Shanghai's districts practise it."""

__version__ = "0.1.0"
