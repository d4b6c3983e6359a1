"""Writers: each turns the document model into one file format, reading the layout's styles."""
