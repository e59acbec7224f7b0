"""Printouts: certificates, receipts and rosters as PDFs with the shipped CJK font and signed QR codes."""
