"""Scorecard: the pure rules core for children's services performance management.

This package imports none of xlwings, openpyxl or xlsxwriter: every rule here can be
used from a notebook, a UDF, a workbook generator or a test alike.
"""

__version__ = "0.1.0"
