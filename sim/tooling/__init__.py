"""The project's own tooling, not part of the model: the documentation's printed outputs, the
model document's generated tables, and the scan that links tests to rule ids."""
