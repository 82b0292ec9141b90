"""Changes to the service catalog (SPEC §5), one module per topic: `items`, `materials`, `fees`,
`item_windows` and the spreadsheet `imports`. Every change is atomic, validated (every problem
found first, then refused at once or applied) and logged."""
