"""What the office tells applicants by e-mail: composing notices, queueing them, sending them."""
