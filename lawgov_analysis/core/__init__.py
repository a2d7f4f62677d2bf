"""Core: the domain's shared facts (government identity, levels, numerals, cue words), resources, options, defaults.

Every other layer imports from here; this layer imports nothing else of the package.
"""
