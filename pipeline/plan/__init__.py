"""编制: build the tidy plan tables from the plan documents."""
