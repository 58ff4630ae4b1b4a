"""National comparators from DfE's published data (LAIT): read the files, keep them in the store,
and put England, region, statistical-neighbour, quartile-band and rank figures next to an
authority's own.

- `files`: which LAIT file is which, and its long data (CSV, or parquet) read into a checked
  table; bad input names the file and the row.
- `lists`: the data dictionary, authority list and statistical-neighbour editions, read the same way.
- `areas`: England, the regions and the 153 current authorities (and their predecessors).
- `store`: the national tables in the store's SQLite file (persistence only).
- `importer`: `import_lait`, one transaction for all the files of one command.
- `comparators`: what an authority's figures are compared with (computation, by the core's rules).
- `scorecards`: a scorecard's data from the national tables, or national figures added to a
  scorecard's own data.
- `packs`: the figures of an authority's LAIT-style benchmark pack.
- `batch`: every authority's scorecard or pack at once, on every core.
- `catalogue`: LAIT's measures as an extension catalogue.
"""
