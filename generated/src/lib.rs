//! Typed async client for Huawei Cloud TaurusDB and GaussDB(DWS) management APIs.
//!
//! Each service is a cargo feature (`taurusdb`, `dws`) and a module with its own `Client`.
//! The service modules are generated from `spec/` by `cargo xtask codegen`; [`runtime`] is the
//! hand-written part they share (HTTP, authentication, retries, errors).

#![warn(missing_docs)]

pub mod runtime;

pub use runtime::{Credentials, Error, RetryConfig};

// Generated modules are formatted by the generator (prettyplease), not by rustfmt.
#[cfg(feature = "taurusdb")]
#[rustfmt::skip]
pub mod taurusdb;

#[cfg(feature = "dws")]
#[rustfmt::skip]
pub mod dws;
