//! Typed async client for Huawei Cloud TaurusDB and GaussDB(DWS) management APIs.
//!
//! Each service is a cargo feature (`taurusdb`, `dws`) and a module with its own `Client`; the
//! feature `mock` adds a fake of each service for tests. The service modules are generated from
//! `spec/` by `cargo xtask codegen`; [`runtime`] (the crate `huaweicloud-db-runtime`) is the
//! hand-written part they share (HTTP, authentication, retries, errors, the mock server).
//!
//! ```no_run
//! # #[cfg(feature = "taurusdb")]
//! # async fn example() -> Result<(), huaweicloud_db::Error> {
//! use huaweicloud_db::{taurusdb, Error};
//!
//! // Credentials, project and region from HUAWEICLOUD_SDK_AK, _SK, _PROJECT_ID and _REGION.
//! let client = taurusdb::Client::from_env()?;
//! match client.list_engine_versions("gaussdb-mysql").send().await {
//!     Ok(versions) => {
//!         for version in versions.datastores.unwrap_or_default() {
//!             println!("{:?} {:?}", version.name, version.kernel_version);
//!         }
//!     }
//!     // The API said no: status, error code, message and request id.
//!     Err(Error::Api(e)) => eprintln!("{e}"),
//!     // Connection failures, timeouts, configuration mistakes.
//!     Err(other) => return Err(other),
//! }
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

pub use huaweicloud_db_runtime as runtime;

pub use runtime::{Credentials, Error, RetryConfig};

// Generated modules are formatted by the generator (prettyplease), not by rustfmt.
#[cfg(feature = "taurusdb")]
#[rustfmt::skip]
pub mod taurusdb;

#[cfg(feature = "dws")]
#[rustfmt::skip]
pub mod dws;
