"""The domain as values: the typed records of RECORDS.md (records.py), their codes, labels and
Japanese dates, a case's derived status, the law's obligations, the contract as the schemas
state it, and the catalogue of every problem jushou reports. Imports nothing else of jushou."""
