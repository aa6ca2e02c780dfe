"""The web app's surface, one router per kind of user: ``auth`` (signing in), ``review``
(reviewers' queue and case pages), ``clerks`` (intake problems, triage, uploads, parcels),
``operators`` (the dashboard), ``public`` (applicants: status look-up and the blank form) and
``courier`` (the carrier's tracking push)."""
