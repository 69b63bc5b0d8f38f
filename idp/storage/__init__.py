"""Persistence: the tables and their frozen reads (``models``), every statement the broker runs,
by fact (``codes``, ``tokens``, ``sessions``, …), and the request's one transaction
(``transaction``). No module outside this package writes SQL (tests/unit/test_import_rules.py).
"""
