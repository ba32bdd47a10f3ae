"""Excel in and out: safe reading, header and value recognition in six languages, the import
pipeline (``importer.run_import``), templates, exports and rejected-rows workbooks."""
