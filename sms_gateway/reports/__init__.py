"""Figures for the operators' pages: plain functions taking a session, bounded queries only."""
