"""Analysis passes: each a pure ``Schema -> Schema`` function in its own module."""
