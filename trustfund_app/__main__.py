from trustfund_app.cli import main

raise SystemExit(main())
