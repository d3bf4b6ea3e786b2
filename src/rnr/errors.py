"""The one exception type that reaches the user as a sentence, not a traceback."""


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


class Diverged(Exception):
    """Training produced a non-finite loss; ``params`` are the last good ones."""

    def __init__(self, epoch: int, loss: float, params):
        self.epoch, self.loss, self.params = epoch, loss, params
        super().__init__(f"loss became {loss} at epoch {epoch}")
