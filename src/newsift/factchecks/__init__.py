"""Already fact-checked claims: importers (ClaimReview, CSV, CheckThat!) and matching texts against them."""
