"""`python -m socialdesk`: the same as the `socialdesk` command (the code lives in bot/)."""

if __name__ == "__main__":
    from bot.cli import main

    raise SystemExit(main())
