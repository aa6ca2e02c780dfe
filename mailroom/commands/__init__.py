"""The ``mailroom`` command's parts, one module per thing it acts on: ``intake`` (scan folder,
mailbox, processing), ``cases``, ``submissions``, ``letters`` (outbox and reminders),
``shipping``, ``custody``, ``users``, ``documents`` (extract, the blank form) and ``running``
(init, serve, web, doctor, demo). ``mailroom/cli.py`` puts them together."""
