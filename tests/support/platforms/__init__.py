"""Each platform source wired to its stand-in: ids, credentials, and a bot started with the source."""
