"""Who is owed which touch, and when (rules), why (reasons), how (suggest)."""

# The days ahead Today lists (its "coming" band). The customer list's marks are read from the
# same window, so that the agenda Today has just read answers them as well.
DAYS_AHEAD = 7
