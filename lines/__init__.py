"""The index's second step: every quotable line of the notes (``lines.quotable``) and its sentence vector
(``lines.vectors``), made ready after each sync (``lines.prepare``) so a first answer never waits for the
model. ``service.indexing`` runs it; the answer layer reads the vectors."""
