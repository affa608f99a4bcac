"""What the monthly entry form (月度填报表) is, declared once below the writer (pipeline.render.entry_forms) and
the readers (pipeline.monitor.collect, validate, samples): `layout` holds its sheets, rows, columns and _meta."""
