"""Files in, no SQL: the table of formats (readers.py), plain text and Markdown (text_files.py),
Word (word.py), CSV/TSV/JSONL tables (table_files.py), segmentation into paragraphs
(segment.py), decoding bytes to text (decoding.py), REFI-QDA reading (refi.py), and what every
reader hands to the project (source.py). Functions only: reading a file needs no project."""
