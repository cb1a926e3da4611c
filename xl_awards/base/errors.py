"""Exceptions that end a command with exit code 2 and one Chinese line (no traceback)."""


class InputError(Exception):
    """Input that cannot be read: not a workbook, corrupt, encrypted, .xls, wrong sheets."""


class UsageError(Exception):
    """Bad usage: an option that does not make sense, a file that would be overwritten."""
