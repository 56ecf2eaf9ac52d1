"""The year-end report: figures → tables, charts, PDF, xlsx, csv, json."""
