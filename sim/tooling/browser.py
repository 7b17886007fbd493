"""The system's Chromium, headless, as the explorer's tests, its benchmark and the README's
screenshot start it: found on the PATH (never a downloaded browser), run as root without
a sandbox, and kept off the network (a closed machine refuses its background chatter)."""

from __future__ import annotations

import shutil
from typing import Any

FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def executable() -> str | None:
    """Chromium's path, if the system has it."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def launch(playwright: Any) -> Any:
    """A headless Chromium browser from Playwright, on the system's executable."""
    found = executable()
    if found is None:
        raise RuntimeError("Chromium is missing: install it with 'apt-get install chromium'")
    return playwright.chromium.launch(executable_path=found, args=list(FLAGS))
