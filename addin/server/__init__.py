"""xlwings Server route: a small FastAPI app serving Scorecard's functions to Excel on Windows, Mac and the web."""
