"""Roster spreadsheets: importing (read, check, plan, apply) and exporting."""
