"""实施: the monthly entry forms coming back — collection, validation, the store, progress and status."""
