"""Is the app reachable from other machines, and may this visitor in?

The app listens on 127.0.0.1 unless its owner asks for more (``NOTEWISE_HOST`` or Streamlit's own
``--server.address``). On any other address it is *exposed*: then it asks for ``NOTEWISE_APP_PASSWORD``
(environment only, compared in constant time), and refuses to run at all without one.
"""

from __future__ import annotations

import hmac
import ipaddress

from pydantic import SecretStr

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


class ExposedWithoutPassword(RuntimeError):
    """The app would listen beyond this machine with no password set."""


def is_loopback(address: str | None) -> bool:
    """True when ``address`` only accepts connections from this machine. Empty means every interface."""
    text = (address or "").strip().strip("[]")
    if not text:
        return False
    if text.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(text).is_loopback
    except ValueError:  # a host name other than localhost: assume it reaches the network
        return False


def usable_password(password: SecretStr | None) -> str | None:
    """The password's text, or None when it is unset or blank."""
    if password is None or not password.get_secret_value().strip():
        return None
    return password.get_secret_value()


def check_exposure(address: str | None, password: SecretStr | None) -> bool:
    """Whether the app is exposed on ``address``; raises :class:`ExposedWithoutPassword` if it has no password."""
    if is_loopback(address):
        return False
    if usable_password(password) is None:
        shown = address or "every network interface"
        raise ExposedWithoutPassword(
            f"Notewise on {shown} is reachable from other machines, and NOTEWISE_APP_PASSWORD is not set: "
            "set it in the environment (export NOTEWISE_APP_PASSWORD=...), or keep the app on "
            "127.0.0.1, the default (unset NOTEWISE_HOST, drop --server.address).")
    return True


def password_matches(given: str, password: SecretStr | None) -> bool:
    """Constant-time comparison of what a visitor typed with the configured password."""
    expected = usable_password(password)
    if expected is None:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
