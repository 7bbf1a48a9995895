"""The per-table contract both backend groups' tests check: one table's files name that table."""

from __future__ import annotations


def single_table_files(backend, schema, opts) -> int:
    """Emit each table alone, assert every file lists it among its tables, and return
    how many files that made in all (the caller compares with a whole emission)."""
    count = 0
    for table in schema.tables:
        for f in backend.emit_tables(schema, opts, [table.name]):
            assert table.name in f.tables, (f.path, table.name)
            count += 1
    return count
