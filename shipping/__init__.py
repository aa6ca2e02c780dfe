"""Two-way express: carriers, tracking, labels and the passport's custody."""
