"""manim mobjects that draw what the core computed: text and numbers, framed axes, each run's marks,
the step counter, the table of runs, the loss inset, the replay animation and the theme's colours.

They take trajectories and views from :mod:`optscenes.core` and never redo the math.
"""
