"""The weekly review: each relationship's health, and the figures of the week and month.

Pure: plain records in, plain values out (``health`` scores one customer, ``figures``
sums up what was done against what was planned, gifts, complaints, festivals and deals).
"""
