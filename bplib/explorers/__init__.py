"""Ready-made explorers (figure + sliders) for the notebooks, one module per topic."""
