"""Batch coding to partitioned Parquet (``dyad batch``), on this machine or on Ray Data.

inputs.py lists and reads inputs on any filesystem pyarrow supports; ``dyad.store.rows`` turns
coded documents into Arrow tables; output.py writes them partitioned by month; engines.py runs
the same stage (``stage.py``) in local processes or as Ray Data ``map_batches`` actors.
"""
