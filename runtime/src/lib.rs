//! The hand-written runtime every generated service module of `huaweicloud-db` uses:
//! configuration and endpoint resolution, credentials and request signing, retries, job waiting,
//! the error type and (feature `mock`) the mock server.
//!
//! It knows nothing about any particular service; services describe themselves with a
//! [`ServiceDescriptor`] and send requests through [`Handle::execute`].

#![warn(missing_docs)]

mod auth;
mod client;
mod credentials;
mod endpoint;
mod error;
mod handle;
mod headers;
pub mod jobs;
pub mod json;
pub mod lenient;
#[cfg(feature = "mock")]
pub mod mock;
pub mod one_or_many;
pub mod pages;
mod request;
mod response;
mod retry;
pub mod signing;
pub mod string_enum;

pub use client::{ClientBuilder, RegionEndpoint, ServiceClient, ServiceDescriptor};
pub use credentials::{AkSk, Credentials};
pub use error::{ApiError, Error, ErrorCode, HeaderProblem};
pub use handle::Handle;
pub use headers::RESERVED_HEADERS;
pub use request::{encode_path_segment, OperationRequest};
/// The HTTP method of an operation, as `OperationRequest::new` takes it.
pub use reqwest::Method;
pub use response::RawResponse;
pub use retry::RetryConfig;
pub use signing::SignatureError;
pub use string_enum::{StringEnum, UnknownValue};

/// `serde`, for the impls [`string_enum!`] writes in the generated crate.
#[doc(hidden)]
pub use serde as __serde;
