"""Demo cases for ``manage.py seed_demo``: each case app connects a step in its AppConfig.ready().

A step is ``step(*, branches, users)`` (dicts by branch code and username) and makes its demo cases only
where none exist yet, so that running the command again adds nothing. Steps run in the hook's order
(``contactcenter.hooks``).
"""

from contactcenter.hooks import Hook

demo_case_steps = Hook("directory.demo.case_steps", arguments="*, branches: dict, users: dict")
