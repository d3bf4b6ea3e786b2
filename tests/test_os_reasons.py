"""The operating system's reasons inside rnr's sentences read in the
sentence's language: the English clause is the C library's own text (the
reference, ``os.strerror``), the Spanish one carries no English."""

import errno
import os
import socket

import pytest

from rnr.errors import Msg, os_error, os_reason
from rnr.i18n import MESSAGES, text

NAMED = sorted(k[len("errno_"):] for k in MESSAGES if k.startswith("errno_") and hasattr(errno, k[len("errno_"):]))


def test_every_errno_clause_is_the_c_library_text_in_english():
    assert len(NAMED) >= 25
    differ = {name: (text("errno_" + name, "en"), os.strerror(getattr(errno, name))) for name in NAMED
              if text("errno_" + name, "en") != os.strerror(getattr(errno, name))}
    assert differ == {}


@pytest.mark.parametrize("name", NAMED)
def test_spanish_clause_differs_from_the_english(name):
    assert text("errno_" + name, "es") != text("errno_" + name, "en")


def test_an_os_error_in_spanish_has_no_english_clause():
    e = OSError(errno.ENAMETOOLONG, os.strerror(errno.ENAMETOOLONG), "/tmp/x")
    assert os_error(e).message("es") == "El sistema operativo rechazó /tmp/x (nombre de archivo demasiado largo)."
    assert os_error(e).message("en") == f"The operating system refused /tmp/x ({os.strerror(errno.ENAMETOOLONG)})."


def test_name_resolution_and_timeouts_have_words_too():
    try:
        socket.getaddrinfo("no-such-host.invalid", 80)
    except socket.gaierror as e:
        reason = os_reason(e)
        assert isinstance(reason, Msg) and reason.render("en").lower() in e.strerror.lower()
    assert os_reason(TimeoutError("timed out")).render("es") == "se agotó el tiempo de espera"


def test_a_reason_without_words_is_the_library_text():
    assert os_reason(OSError(errno.ENOTSOCK, "Socket operation on non-socket")) == "Socket operation on non-socket"
    assert os_reason(ValueError("odd")) == "odd"


def test_ssl_and_resolver_codes_are_not_read_as_errno():
    """An SSL error's code is OpenSSL's (1 is not EPERM); its own text is kept."""
    import ssl

    e = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
    assert "CERTIFICATE_VERIFY_FAILED" in str(os_reason(e))
    unknown = socket.gaierror(errno.EIO, "Some resolver failure")  # a resolver code equal to an errno value
    assert os_reason(unknown) == "Some resolver failure"
