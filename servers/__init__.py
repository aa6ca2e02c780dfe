"""Real servers started on loopback for the tests and the benchmarks (never shipped in the
wheel): a throwaway PostgreSQL cluster, a Dovecot IMAP server, an SMTP recorder."""
