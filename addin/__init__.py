"""Ways for officers to get Scorecard's Excel functions: classic xlwings add-in (Windows), xlwings Server
(Mac, web, Windows), xlwings Lite (store add-in, Python in the browser) and LAMBDA named formulas
(no install). Every route serves the one module `udfs.functions`; see addin/README.md.
"""

UDF_MODULE = "udfs.functions"
