"""Official public holidays and make-up working days of mainland China, one file a year.

Read by ``kequ.domain.calendar.holidays``; a year is only here once the State Council has published it.
"""
