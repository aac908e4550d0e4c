"""kequ (客情): a terminal follow-up assistant for salespeople."""

__version__ = "0.1.0"
