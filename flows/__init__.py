"""Prefect flows: thin orchestration over intake/, processing/ and storage/.

The stages, in the order work moves through them:
    scan_intake.py          scan folder -> stored submissions
    process_submissions.py  submissions -> documents, pages, cases or triage
"""
