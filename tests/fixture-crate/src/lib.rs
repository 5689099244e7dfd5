//! The code generated from the fixture specs in `tests/fixtures/spec`, compiled with the same
//! hand-written runtime as the published crate, so a generator change that emits code which does
//! not compile fails the build.

#![warn(missing_docs)]

pub use huaweicloud_db_runtime as runtime;

// Generated code is formatted by the generator (prettyplease), not by rustfmt.
#[rustfmt::skip]
pub mod demo;
