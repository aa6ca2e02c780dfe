"""From facts to decisions: which case a document belongs to; later checklists, waivers, priority."""
