"""Pipeline: the per-report stages declared as data, the runner (processes, Dask), the store catalog."""
