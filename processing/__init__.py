"""Processing: turning a received submission into documents and pages attached to cases."""
