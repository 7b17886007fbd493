"""The one kind of error a user should see: a clear line, exit code 2, no traceback."""

from __future__ import annotations


class UserError(Exception):
    """Bad input from the user (a file, a key, a value): the message says what to fix."""

    exit_code = 2
