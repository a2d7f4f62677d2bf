"""Reports in, tables out: files and manifests (``corpus``), metadata inference (``metadata``), region codes
(``gazetteer``), the Parquet corpus store (``store``) and downloading reports from government sites (``fetch``)."""
