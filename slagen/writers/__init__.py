"""Writers: each turns a numbered document model into the bytes of one output format."""
