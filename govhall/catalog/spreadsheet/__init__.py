"""The catalog as one .xlsx workbook (SPEC §5: 目录以电子表格导入导出).

`format` describes the workbook; an import runs `reading` (the file into rows, cells parsed),
`validating` (rows into a plan, every problem found) and `writing` (the plan into the database,
in one transaction), driven by `govhall.catalog.services.imports`; `exporting` writes a
workbook of a center's catalog in the same format.
"""
