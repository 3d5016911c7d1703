"""Files people download: safe, typed spreadsheet cells, Word documents set up the house way, and file names.

Owns what every export shares whatever it holds: cells that never run as a formula and dates that are
real Excel dates in the installation's time zone (`cells`), Word documents on A4 in the reader's
language with their author and properties (`word`), and names that say what a file is, with the
Content-Disposition that carries them (`downloads`).

May use: Flask's `current_app` (for the installation's settings), openpyxl, python-docx and the
standard library; no domain, no area. The domain builds its exports on top of it.
"""
