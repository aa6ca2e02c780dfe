"""Intake: taking submissions from their sources (scan folder, mailbox) into storage, safely."""
