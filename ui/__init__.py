"""The app's view models: plain functions the Streamlit pages and the tests share (no Streamlit here).

``ui.views`` holds the Streamlit rendering; everything it shows is computed by the modules beside it.
"""
