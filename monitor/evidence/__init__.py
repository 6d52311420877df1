"""Evidence: what makes a flag defensible — the hash-chained audit log and the instance key
(``audit``, ``keys``, which every stage records into and so sit just above the store), stored
media and screenshots (``media``, ``capture``, used by collection), and at the top signed
bundles with their PDF (``bundle``, ``pdf``), backups, retention, subject-access reports and the
move of an office's SQLite database into PostgreSQL (``moveup``).

``audit`` and ``keys`` import only the store and foundation modules; ``media`` and ``capture``
add nothing above people; the rest may import any stage below the dashboard and the CLI.
"""
