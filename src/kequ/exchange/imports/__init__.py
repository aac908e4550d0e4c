"""Customers in from the files salespeople already have; see run.py for the phases."""
