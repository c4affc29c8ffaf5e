"""Start the review desk, or run a subcommand (see `python main.py --help`)."""
from desktop.cli import main
raise SystemExit(main())
