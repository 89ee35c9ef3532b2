from shopcopilot.cli import main

raise SystemExit(main())
