"""Notewise Streamlit app (placeholder until the app issue lands)."""

import streamlit as st

st.set_page_config(page_title="Notewise", page_icon="📒")
st.title("Notewise")
st.write("Ask your notes. Use `python cli.py search QUERY` meanwhile.")
