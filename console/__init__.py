"""The staff, editor and admin console at /console/: server-rendered pages over the same services as the API.

Pages come in role-scoped modules, each with its own blueprint: ``views`` (log in, log out, change
password, home), ``hall`` (the clerk's day), ``editor`` (the gazette). An admin module adds its own.
"""
