//! Unit tests of the schema builder.
