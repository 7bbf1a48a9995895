"""Code generation backends: pure ``emit(schema, options) -> list[OutputFile]``."""
