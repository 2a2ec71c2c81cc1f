"""The audit log pages: the privacy officer's search, its results and the CSV download.

The log itself (its entries, the hash chain, `audit_record`, the actions and the check) is
`baken.audit`, below accounts, so that logins and user changes write their entry in the same
transaction. These pages name users and teams, so they live above accounts
(docs/adr/0026-layers-of-apps.md).
"""
