//! End-to-end tests of trr-schema: scenarios planned offline and proven
//! against real PostgreSQL (see [`roundtrip`]).

pub mod roundtrip;
