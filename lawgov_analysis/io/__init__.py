"""Getting reports in and tables out: loading files and manifests (``corpus``)."""
