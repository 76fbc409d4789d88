"""The tests see the exercises' reference solutions and bugs (exercises/reference/, not installed).

Importing ``exercises.reference`` attaches them to the registry (``ex.solution``,
``bug.fn``); ``check`` itself still compares with the stored ``answers.json``, as it
does for a student.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import exercises.reference  # noqa: E402, F401
