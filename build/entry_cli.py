"""PyInstaller entry script for the console executable ``fpdesk``.

The same as the ``fpdesk`` console script: no sub-command opens the GUI, a sub-command runs headless.
It lives here, not in the package, so the bundled program starts exactly like the installed one.
"""

import sys

from fpdesk.launcher import main

if __name__ == "__main__":
    sys.exit(main())
