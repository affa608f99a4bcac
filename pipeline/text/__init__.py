"""Reading plan documents in any format into raw lines, normalising them once, and outlining them."""
