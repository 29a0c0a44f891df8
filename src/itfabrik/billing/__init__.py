"""Billing: the monthly invoice basis per municipality (issue 7). So far its pure rules: SIE 4
export (`sie.py`) and pro-rata charging by day (`rules.py`); the app itself (models, runs,
invoices) follows on the catalogue's subscriptions."""
