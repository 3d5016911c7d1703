"""Points: which point of the action plan a text is about.

Owns the framework a café maps onto, loaded once from nlp's file (`framework`), the point mapper of
each framework with the suggestions a host sees while typing (`suggestions`), and the mapper refitted
on the points hosts and facilitators confirmed (`learning`, what corrections teach it).

May use: `nlp`, `cafe.jobs` (a mapper is made in a job thread), `cafe.models`, `cafe.validation`,
`cafe.extensions`, `cafe.errors`.
"""
