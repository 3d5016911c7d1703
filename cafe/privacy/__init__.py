"""Privacy: keeping clients' personal data out of notes, and the data's lifecycle.

Owns finding personal identity numbers, phone numbers and e-mail addresses in a text (`pii`, pure
Python), screening a note before it is stored and scanning or masking stored ones (`screening`), which
rows belong to an event and deleting or purging them (`retention`), and the whole-event archive
document (`archive`).

May use: `cafe.people` (the audit log), `cafe.models`, `cafe.extensions`, `cafe.errors`.
"""
