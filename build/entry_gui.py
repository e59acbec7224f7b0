"""PyInstaller entry script for the windowed executable ``fpdesk-gui``.

The same as the ``fpdesk-gui`` GUI script: it opens the main window (Windows shows no console for it).
"""

import sys

from fpdesk.gui.app import main

if __name__ == "__main__":
    sys.exit(main())
