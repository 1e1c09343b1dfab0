"""The DuckDB store: schema and migrations, batch writes, and the one query module."""
