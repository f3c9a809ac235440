"""Security suites: canary secrets through whole lifecycles, and a corpus of bad input at every layer."""
