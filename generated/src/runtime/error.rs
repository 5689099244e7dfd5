//! The one error type of every call, and the API's error body.

use std::fmt;
use std::time::Duration;

/// Why a call failed. Never contains credentials.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client was configured wrongly (no credentials, unknown region, no project ID...).
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// The request did not get a response: connection refused, reset, TLS or I/O failure.
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),
    /// No response arrived within the configured timeout.
    #[error("the request timed out after {elapsed:?}")]
    Timeout {
        /// How long the last attempt waited.
        elapsed: Duration,
    },
    /// The API answered with an error status.
    #[error(transparent)]
    Api(ApiError),
    /// A success response whose body does not fit the documented type.
    #[error("could not decode the response (status {status}, request id {}): {message}", request_id.as_deref().unwrap_or("none"))]
    Decode {
        /// HTTP status of the response.
        status: u16,
        /// The request id the API gave, if any.
        request_id: Option<String>,
        /// What did not fit.
        message: String,
    },
    /// The request body could not be serialized.
    #[error("could not encode the request body: {0}")]
    Encode(String),
    /// A success status the spec does not document for this operation.
    #[error("undocumented response status {status} (request id {})", request_id.as_deref().unwrap_or("none"))]
    UnexpectedStatus {
        /// HTTP status of the response.
        status: u16,
        /// The request id the API gave, if any.
        request_id: Option<String>,
        /// The response body, as text.
        body: String,
    },
}

impl Error {
    /// The API error, if the API answered with an error status.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }
}

/// An error response of the API: its status, its `error_code` and `error_msg`, and the request id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// The API's error code, such as `DBS.200001`.
    pub error_code: Option<String>,
    /// The API's error message.
    pub error_msg: Option<String>,
    /// The request id from `X-Request-Id`, for support requests.
    pub request_id: Option<String>,
    /// The whole response body, as text.
    pub body: String,
}

impl ApiError {
    /// Reads an error response. The documents' `{"error_code", "error_msg"}` shape is the norm;
    /// `code`/`message`, `errCode`/`externalMessage` and a nested `{"error": {...}}` are read too.
    pub fn from_response(status: u16, request_id: Option<String>, body: &[u8]) -> ApiError {
        let text = String::from_utf8_lossy(body).into_owned();
        let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
        let object = json
            .as_ref()
            .map(|v| v.get("error").filter(|e| e.is_object()).unwrap_or(v));
        let field = |names: &[&str]| {
            let object = object?;
            names.iter().find_map(|n| match object.get(*n)? {
                serde_json::Value::String(s) => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
        };
        ApiError {
            status,
            error_code: field(&["error_code", "errCode", "code"]),
            error_msg: field(&["error_msg", "externalMessage", "message", "errMsg"]),
            request_id,
            body: text,
        }
    }

    /// Whether this is the documented error `code`.
    pub fn is(&self, code: &ErrorCode) -> bool {
        self.error_code.as_deref() == Some(code.code)
    }

    /// The body parsed as `T`, for operations that document their own error body type.
    pub fn parse_body<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.body)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "API error {} {}: {} (request id {})",
            self.status,
            self.error_code.as_deref().unwrap_or("(no error code)"),
            self.error_msg.as_deref().unwrap_or("(no error message)"),
            self.request_id.as_deref().unwrap_or("none"),
        )
    }
}

impl std::error::Error for ApiError {}

/// One entry of a service's documented error-code catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCode {
    /// The `error_code` the API returns.
    pub code: &'static str,
    /// The HTTP status it comes with.
    pub status: u16,
    /// The documented error message.
    pub message: &'static str,
    /// What it means.
    pub description: &'static str,
    /// What to do about it.
    pub solution: &'static str,
}
