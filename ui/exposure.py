"""Is the app reachable from other machines, and may this visitor in?

The app listens on 127.0.0.1 unless its owner asks for more (``NOTEWISE_HOST`` or Streamlit's own
``--server.address``). On any other address it is *exposed*: then it asks for ``NOTEWISE_APP_PASSWORD``
(environment only, compared in constant time), and refuses to run at all without one.
"""

from __future__ import annotations

import hmac
import ipaddress
import threading
import time
from collections.abc import Callable

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


class SignInThrottle:
    """Wrong passwords counted per client address, across every browser session of the server process.

    ``free`` wrong passwords in a ``window_s`` window go unhindered; from the last of them on, each one
    doubles the wait before the next attempt from that address is even checked (``base_s``, 2x, 4x ... up to
    ``max_wait_s``). A right
    password clears the address's record. Opening more browser sessions gives no more guesses."""

    def __init__(self, free: int = 5, window_s: float = 60.0, base_s: float = 2.0, max_wait_s: float = 900.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.free, self.window_s, self.base_s, self.max_wait_s, self.clock = free, window_s, base_s, max_wait_s, clock
        self._failures: dict[str, list[float]] = {}
        self._locked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait_s(self, address: str) -> float:
        """Seconds before ``address`` may try a password again (0: now)."""
        with self._lock:
            return max(0.0, self._locked_until.get(address, 0.0) - self.clock())

    def failed(self, address: str) -> float:
        """Record a wrong password from ``address``; returns the wait now imposed on it (0: none)."""
        with self._lock:
            now = self.clock()
            recent = [t for t in self._failures.get(address, []) if now - t < self.window_s] + [now]
            self._failures[address] = recent
            over = len(recent) - self.free
            if over < 0:
                return 0.0
            wait = min(self.max_wait_s, self.base_s * 2 ** over)
            self._locked_until[address] = now + wait
            return wait

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._failures.pop(address, None)
            self._locked_until.pop(address, None)


#: The one throttle of this server process (every session's sign-in goes through it).
SIGN_IN_THROTTLE = SignInThrottle()
