"""Invented sample data and every step of the demo cycle.
May import anything; nothing outside demo/ imports it (cli.py names xl_awards.demo.command only)."""
