//! Integration tests: authz.
