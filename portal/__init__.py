"""The roof: the home page, My workspace and the demo data. It may read every app; no app imports it."""
