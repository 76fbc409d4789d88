"""Repository-only material of the exercises (not installed with bplib): see reference/."""
