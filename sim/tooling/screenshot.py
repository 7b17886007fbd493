"""The README's picture of the explorer: the page opened in the system's headless
Chromium, the first discovered box selected, the case team's wait against its
utilisation, saved as a PNG (`make docs-explore`).

Usage: python -m sim.tooling.screenshot EXPLORER.html OUT.png
"""

from __future__ import annotations

import sys
from pathlib import Path

from sim.tooling.browser import launch


def main() -> None:
    from playwright.sync_api import sync_playwright

    page_path, out = Path(sys.argv[1]).resolve(), Path(sys.argv[2])
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 860})
        page.goto(page_path.as_uri())
        page.wait_for_function("window.explorer !== undefined")
        if page.locator("#box-0").count():
            page.click("#box-0")
        page.select_option("#scatter-x", "team_utilisation")
        page.select_option("#scatter-y", "team_mean_wait")
        page.screenshot(path=str(out))
        browser.close()
    print(out)


if __name__ == "__main__":
    main()
