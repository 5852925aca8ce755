"""The one error type the CLI turns into a one-line message and exit code 1."""


class UserError(ValueError):
    """Bad input from the user; the message names the thing and the fix."""


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, with a message saying truthfully what the command kept (the CLI prints it, exit 130)."""
