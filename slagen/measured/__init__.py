"""Measured data after the signature: what happened, as typed records read from CSV or XLSX files.

``records`` defines the records every report computation reads; the readers (one per column contract)
turn a user's file into them and report every bad cell with file, row and column.
"""
