"""CBS data: reading StatLine tables (the OData v3 API, live or a saved folder, and CSV
downloads: `odata`, `statline_csv`, pure parsing without the database) and loading the
"Gebieden in Nederland" municipality tables into Municipality and Region (`areas`).
"""
