from kequ.cli.main import main

raise SystemExit(main())
