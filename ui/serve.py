"""Start the app bound the safe way: ``python -m ui.serve [streamlit options]`` (what ``make run`` runs).

It binds Streamlit to ``NOTEWISE_HOST`` (default 127.0.0.1, this machine only) unless ``--server.address``
is given, and refuses to start on any other address without ``NOTEWISE_APP_PASSWORD``: one line on stderr,
exit code 2. Other options pass through to ``streamlit run`` (``--server.port 8502``, ...).
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Sequence

from settings import PROJECT_ROOT, Settings, load_settings
from ui.chat import one_line
from ui.exposure import ExposedWithoutPassword, check_exposure

APP = PROJECT_ROOT / "app.py"
STREAMLIT_DEFAULTS = ("--server.headless", "true", "--browser.gatherUsageStats", "false")
ADDRESS_FLAG = "--server.address"


def address_in(args: Sequence[str]) -> str | None:
    """The value of ``--server.address`` in ``args`` (either ``--flag value`` or ``--flag=value``); when it
    is given more than once, the last, as Streamlit's command line (Click) takes it."""
    found = None
    for position, arg in enumerate(args):
        if arg == ADDRESS_FLAG and position + 1 < len(args):
            found = args[position + 1]
        elif arg.startswith(ADDRESS_FLAG + "="):
            found = arg.split("=", 1)[1]
    return found


def listen_address(address: str, source: str) -> str:
    """``address`` as the server binds it: an IPv6 address may be written in brackets (``[::1]``), which are
    dropped; one this machine cannot resolve is refused in one line (Streamlit would print a traceback)."""
    text = address.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    if text:
        try:
            socket.getaddrinfo(text, None, proto=socket.IPPROTO_TCP)
        except (socket.gaierror, UnicodeError) as exc:
            raise ValueError(f"{source} {address!r} is not an address this machine can listen on "
                             f"({getattr(exc, 'strerror', None) or exc}): use an IP address such as 127.0.0.1, "
                             "::1 or 0.0.0.0, or a host name of this machine.") from None
    return text


def streamlit_command(args: Sequence[str], settings: Settings) -> list[str]:
    """The ``streamlit run`` command line; raises :class:`ExposedWithoutPassword` when it would be unsafe, and
    ValueError for an address that cannot be listened on."""
    given = address_in(args)
    if given is not None:
        address = listen_address(given, ADDRESS_FLAG)
        args = [a for i, a in enumerate(args)  # every --server.address goes; the one that counts comes back
                if a != ADDRESS_FLAG and not a.startswith(ADDRESS_FLAG + "=") and (i == 0 or args[i - 1] != ADDRESS_FLAG)]
    else:
        address = listen_address(settings.host, "NOTEWISE_HOST")
    check_exposure(address, settings.app_password)
    return [sys.executable, "-m", "streamlit", "run", str(APP), *STREAMLIT_DEFAULTS, ADDRESS_FLAG, address, *args]


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        command = streamlit_command(args, load_settings())
    except (ExposedWithoutPassword, ValueError) as exc:
        print(f"notewise: refusing to start. {one_line(exc)}", file=sys.stderr)
        raise SystemExit(2) from None
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
