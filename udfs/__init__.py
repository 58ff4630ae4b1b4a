"""Scorecard's Excel functions (xlwings UDFs). `UDF_MODULES = udfs.functions`."""
