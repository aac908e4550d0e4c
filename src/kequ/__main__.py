from kequ.cli import main

raise SystemExit(main())
