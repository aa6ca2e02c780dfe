"""From bytes to facts: file types, pages, text layers, cover sheets, forms (no database)."""
