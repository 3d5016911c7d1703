"""Follow-up: what happens after the café, from ideas to action lists to feedback.

Owns the action lists per unit, drafts from themes and notes, their history and comments
(`actions`), their exports to CSV, XLSX, JSON and DOCX (`action_exports`), the round trip of an
edited workbook (`action_import`), importing an earlier café's notes from a spreadsheet
(`note_import`, reading files with `spreadsheet`), the participants' feedback page and feed
(`feedback`), and the city-wide view across administrations and years (`city`).

May use: `cafe.synthesis` models' themes (through `cafe.models`), `cafe.points`, `cafe.privacy`,
`cafe.people`, `cafe.realtime` (the change log), `cafe.models`, `cafe.validation`, `cafe.extensions`,
`cafe.errors`.
"""
