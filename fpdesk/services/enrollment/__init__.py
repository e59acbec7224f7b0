"""Enrollment and its money: products offered, enrolling, payments, members, hand-up, renewals, claims."""
