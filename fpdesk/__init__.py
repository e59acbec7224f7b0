"""fpdesk — offline household insurance enrollment for family-planning associations (计生协).

Importing this package must stay cheap and side-effect free: the CLI's ``--help`` and
``--version`` and ``packaging.spec`` read it.
"""

__version__ = "0.1.0"
APP_ID = "fpdesk"
APP_NAME_ZH = "计生家庭保险登记"
APP_NAME_EN = "fpdesk"
