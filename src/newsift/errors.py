"""Errors a user can act on: the CLI prints their message on one line and exits with status 2."""


class InputError(Exception):
    """Bad input (empty, binary, too large, unreadable, unreachable, malformed option)."""
