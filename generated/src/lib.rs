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
//!
//! ## Growing without breaking
//!
//! Every struct and enum is `#[non_exhaustive]`: a field or value the API adds in a later version
//! of this crate does not break code written today. Values are built with `new` (the required
//! fields) and, for the types requests carry, `with_` setters (the optional ones); other optional
//! fields are assigned. Unknown enum values read as `Unknown(UnknownValue)`:
//!
//! ```
//! # #[cfg(feature = "taurusdb")] {
//! use huaweicloud_db::taurusdb::types;
//!
//! let backup = types::CreateBackupRequest::new("instance-id", "backup-1").with_description("nightly");
//! assert_eq!(backup.description.as_deref(), Some("nightly"));
//! let mut versions = types::ListEngineVersionsResponse::new();
//! versions.datastores = Some(vec![types::MysqlEngineVersionInfo::new()]);
//! assert_eq!(types::XLanguage::from("en-us"), types::XLanguage::EnUs);
//! assert_eq!(types::XLanguage::from("fr-fr").as_str(), "fr-fr");
//! # }
//! ```
//!
//! A struct literal does not compile outside the crate, so adding a field is not a breaking change:
//!
//! ```compile_fail
//! use huaweicloud_db::taurusdb::types;
//! let info = types::MysqlEngineVersionInfo { kernel_version: None, ..Default::default() };
//! ```
//!
//! and `Unknown` cannot be made to stand in for a value a variant names:
//!
//! ```compile_fail
//! use huaweicloud_db::taurusdb::types;
//! let english = types::XLanguage::Unknown(types::UnknownValue("en-us".to_string()));
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
