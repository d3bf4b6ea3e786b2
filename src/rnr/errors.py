"""The one exception type that reaches the user as a sentence, not a traceback
(``UserError``), and an operating-system error turned into one (``os_error``)."""

import errno


class UserError(Exception):
    """Bad input from the user: the CLI prints ``message`` and exits with code 2.

    ``key`` names a message in :mod:`rnr.i18n` and ``fields`` fill it, so the
    same error reads in English or Spanish.
    """

    def __init__(self, key: str, **fields):
        self.key = key
        self.fields = fields
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        from rnr.i18n import text

        return text(self.key, lang, **self.fields)


class Msg:
    """A message inside a message: a field of a UserError that is itself
    translated (``rnr.i18n.text`` renders it in the same language)."""

    def __init__(self, key: str, **fields):
        self.key, self.fields = key, fields

    def render(self, lang: str) -> str:
        from rnr.i18n import text

        return text(self.key, lang, **self.fields)

    def __str__(self) -> str:
        return self.render("en")


class Diverged(Exception):
    """Training produced a non-finite or exploding loss (or non-finite
    parameters); the last good checkpoint was kept."""

    def __init__(self, step: int, loss: float, epoch: int = 0):
        self.step, self.loss, self.epoch = step, loss, epoch
        super().__init__(f"loss became {loss} at window {step}")


_OS_REASONS = {errno.ENOSPC: "os_no_space", errno.EROFS: "os_read_only", errno.EACCES: "os_permission",
               errno.EPERM: "os_permission", errno.EISDIR: "os_is_folder", errno.ENOTDIR: "os_not_folder",
               errno.EDQUOT: "os_no_space", errno.ENOENT: "os_missing"}


def os_reason(e: BaseException):
    """The operating system's reason for ``e`` as a clause in the sentence's
    language (a ``Msg`` from rnr.i18n.messages.os_reasons), or, for a reason
    rnr has no words for, the C library's own text."""
    import socket

    from rnr.i18n import MESSAGES

    import ssl

    code = getattr(e, "errno", None)
    if isinstance(e, socket.gaierror):  # its codes are the resolver's, not errno values
        name = {socket.EAI_NONAME: "EAI_NONAME", socket.EAI_AGAIN: "EAI_AGAIN"}.get(code)
    elif isinstance(e, ssl.SSLError):  # its codes are OpenSSL's: its own text says what failed
        name = None
    else:
        name = errno.errorcode.get(code) if isinstance(code, int) and code > 0 else None
    if name is None and isinstance(e, TimeoutError):
        name = "timed_out"
    if name and "errno_" + name in MESSAGES:
        return Msg("errno_" + name)
    return getattr(e, "strerror", None) or str(e) or type(e).__name__


def os_error(e: OSError, path=None) -> UserError:
    """An operating-system error as one sentence naming ``path`` (else the
    error's own file name); see messages ``os_*``."""
    where = path if path is not None else (e.filename or Msg("os_unnamed"))  # stdout, a pipe: no name
    reason = _OS_REASONS.get(e.errno)
    if reason:
        return UserError(reason, path=where)
    return UserError("os_other", path=where, reason=os_reason(e))
