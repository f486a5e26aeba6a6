"""The browser test runs only from ``nox -s browser`` (it needs Chromium and Playwright).

That session sets ``VERISOUL_BROWSER_TESTS=1``; without it (the default test run) nothing
here is collected, so the main test command needs neither.
"""

from __future__ import annotations

import os

collect_ignore_glob = [] if os.environ.get("VERISOUL_BROWSER_TESTS") else ["test_*.py"]
