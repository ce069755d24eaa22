"""The corpus of a project: reading documents and paragraphs, full-text search, bulk import."""
