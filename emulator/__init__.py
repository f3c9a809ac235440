"""Local emulator of Adobe's Flow Service (base connections) and IMS token endpoint.

Imports nothing from ``provider``: it stands in for Adobe, so it must not share the client's assumptions.
"""
