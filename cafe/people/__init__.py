"""People: staff accounts, units and who may do what, and the audit log of what they did.

Owns the users and their sign-in (`users`), the administration's units and staff and a café's
facilitators (`staff`), staff accounts made and kept up to date from the identity provider's claims
(`oidc_accounts`), the tokens of hosts, projectors and API clients and every rule of access
(`access`), and the audit log (`audit`).

May use: `cafe.models`, `cafe.validation`, `cafe.extensions`, `cafe.errors`. Knows nothing of requests,
sessions or sockets: the areas pass in who is asking.
"""
