"""The report to the committee (rapport till nämnden): one café, several, or a year of an administration.

Owns choosing whose cafés a report covers and who may read it (`scope`), the report's content as one
plain data model built from what is stored (`content`, read by `gather`), its charts (`charts`), and
the three ways it is written: a Word document (`word_report`), a printable HTML page and the PDF made
from that same page (`printable`); `formats` ties them together for the page, the API and the CLI.

May use: followup (actions, their statuses and lists), synthesis' stored themes, events' pre-votes,
people's access rules, documents (A4 Word documents, file names), models and the standard library,
python-docx, matplotlib and WeasyPrint. Never the areas, sockets or login sessions.
"""
