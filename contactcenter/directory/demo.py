"""Demo cases for ``manage.py seed_demo``: each case app adds a step in its AppConfig.ready().

A step is ``step(*, branches, users)`` (dicts by branch code and username) and makes its demo cases only
where none exist yet, so that running the command again adds nothing.
"""

DEMO_CASE_STEPS: list = []
