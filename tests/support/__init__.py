"""What the tests share besides fixtures: the test configuration, ways to drive the running bot,
readers of what it showed in Slack, and the platform stand-ins' set-ups. Fixtures live in conftest.py."""
