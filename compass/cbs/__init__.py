"""Reading CBS StatLine tables: the OData v3 API (live or a saved folder) and CSV downloads.

Pure parsing, no database: the importer (`manage.py import_cbs`) maps what these functions
return onto our models inside one transaction.
"""
