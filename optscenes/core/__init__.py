"""The math of optscenes: sympy, torch and numpy, never manim.

Formulas (:mod:`.formula`) become an :class:`~.objective.Objective`; :func:`~.optimization.optimize` runs a
``torch.optim`` optimizer (:mod:`.optimizers`, :mod:`.schedules`) on it and records a
:class:`~.trajectory.Trajectory`; :mod:`.settings` is the one table of every setting; :mod:`.catalogue`
holds the classic test functions, :mod:`.landscape` their grids; :mod:`.views` and :mod:`.timing` decide
what is shown and when; :mod:`.describe` puts runs and numbers into words; :mod:`.cache`,
:mod:`.provenance` and :mod:`.files` keep runs and records on disk. Each module imports torch only
inside the functions that run it.
"""
