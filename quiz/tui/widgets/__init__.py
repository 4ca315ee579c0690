"""Small widgets shared by the study screens."""
