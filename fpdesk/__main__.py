from fpdesk.launcher import main

raise SystemExit(main())
