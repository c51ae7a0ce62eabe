"""Streamlit rendering of the app's parts; ``app.py`` calls these in order."""
