"""Printouts: certificates, receipts and rosters as PDF, and the folder they are written to."""
