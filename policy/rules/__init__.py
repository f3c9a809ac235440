"""Pure rule functions: plain data (a connection's properties, the stack, parsed settings) in, messages out.

Nothing here talks to gRPC or reads the environment; `policy.policies` binds these functions to pulumi-policy.
"""
