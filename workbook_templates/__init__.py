"""Layout and house-style specifications the generator follows (data files, read by generator.workbooks.styles)."""
