"""Ready-made explorers (figure + sliders) for the notebooks, one module per topic.

Slider explorers only; the static figures they share (decision boundaries, the
network drawing, ...) are in :mod:`bplib.plotting`.
"""
