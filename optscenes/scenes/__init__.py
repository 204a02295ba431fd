"""The scene classes: :class:`~.single.OptimizerScene` (one run on a curve), :class:`~.race.RaceScene`
(several), :class:`~.contour.ContourScene` (a map) and :class:`~.surface.SurfaceScene` (a surface), all
built on :class:`~.base.ReplayScene`. Import them from :mod:`optscenes`."""
