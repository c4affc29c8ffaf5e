"""Start the review desk, or run a subcommand (see `python main.py --help`)."""
if __name__ == "__main__":  # guarded: batch import's reader processes (spawn) import this module again
    from desktop.cli import main

    raise SystemExit(main())
