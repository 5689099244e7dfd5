//! The hand-written runtime every generated service module uses: configuration and endpoint
//! resolution, credentials and request signing, retries, and the error type.
//!
//! It knows nothing about any particular service; services describe themselves with a
//! [`ServiceDescriptor`] and send requests through [`Handle::execute`].

mod client;
mod credentials;
mod error;
#[cfg(feature = "mock")]
pub mod mock;
mod retry;
pub mod signing;

pub use client::{
    encode_path_segment, ClientBuilder, Handle, OperationRequest, RawResponse, RegionEndpoint,
    ServiceClient, ServiceDescriptor,
};
pub use credentials::Credentials;
pub use error::{ApiError, Error, ErrorCode};
pub use retry::RetryConfig;
