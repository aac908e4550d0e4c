"""What kequ knows of SQLite's files themselves."""

# The first 16 bytes of every SQLite database file.
SQLITE_MAGIC = b"SQLite format 3\x00"
# How long a connection waits for another window's write before it says "busy".
BUSY_TIMEOUT_MS = 5000
