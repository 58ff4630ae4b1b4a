"""National comparators from DfE's published data (LAIT): read the files, keep them in the store,
and put England, region, statistical-neighbour, quartile-band and rank figures next to an
authority's own.

- `files`: reading LAIT's files (long data as CSV or parquet, data dictionary, authority list,
  statistical-neighbour editions) into checked tables; bad input names the file and the row.
- `areas`: England, the regions and the 153 current authorities (and their predecessors).
- `store`: the national tables in the store's SQLite file (persistence only).
- `importer`: `import_lait`, one transaction for all the files of one command.
- `comparators`: what an authority's figures are compared with (computation, by the core's rules).
- `scorecards`: a scorecard's data from the national tables, or national figures added to a
  scorecard's own data; every authority at once on both cores.
- `catalogue`: LAIT's measures as an extension catalogue.
"""
