"""Start the app bound the safe way: ``python -m ui.serve [streamlit options]`` (what ``make run`` runs).

It binds Streamlit to ``NOTEWISE_HOST`` (default 127.0.0.1, this machine only) unless ``--server.address``
is given, and refuses to start on any other address without ``NOTEWISE_APP_PASSWORD``: one line on stderr,
exit code 2. Other options pass through to ``streamlit run`` (``--server.port 8502``, ...).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from settings import PROJECT_ROOT, Settings, load_settings
from ui.chat import one_line
from ui.exposure import ExposedWithoutPassword, check_exposure

APP = PROJECT_ROOT / "app.py"
STREAMLIT_DEFAULTS = ("--server.headless", "true", "--browser.gatherUsageStats", "false")
ADDRESS_FLAG = "--server.address"


def address_in(args: Sequence[str]) -> str | None:
    """The value of ``--server.address`` in ``args`` (either ``--flag value`` or ``--flag=value``)."""
    for position, arg in enumerate(args):
        if arg == ADDRESS_FLAG and position + 1 < len(args):
            return args[position + 1]
        if arg.startswith(ADDRESS_FLAG + "="):
            return arg.split("=", 1)[1]
    return None


def streamlit_command(args: Sequence[str], settings: Settings) -> list[str]:
    """The ``streamlit run`` command line; raises :class:`ExposedWithoutPassword` when it would be unsafe."""
    given = address_in(args)
    check_exposure(given if given is not None else settings.host, settings.app_password)
    bind = [] if given is not None else [ADDRESS_FLAG, settings.host]
    return [sys.executable, "-m", "streamlit", "run", str(APP), *STREAMLIT_DEFAULTS, *bind, *args]


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
