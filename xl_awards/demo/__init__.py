"""Invented sample data and every step of the demo cycle.

Imports anything; nothing outside demo/ imports it (cli.py starts the demo command only)."""
