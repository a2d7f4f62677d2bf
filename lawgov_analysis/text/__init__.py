"""Report structure and words: sections and sentences (``structure``), segmentation (``tokens``)."""
