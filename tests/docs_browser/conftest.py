"""The browser smoke test runs only from ``nox -s docs_browser``, which builds the site.

That session sets ``VERISOUL_DOCS_SITE`` to the built site; without it (the default test
run) nothing here is collected, so the main test command needs neither Chromium nor the
docs extra.
"""

from __future__ import annotations

import os

collect_ignore_glob = [] if os.environ.get("VERISOUL_DOCS_SITE") else ["test_*.py"]
