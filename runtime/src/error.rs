//! The one error type of every call, the API's error body, and documented error codes.
//!
//! None of these ever holds a credential: requests are not kept, and only response bodies,
//! statuses and request ids (all sent by the server) are.

use std::fmt;
use std::time::Duration;

/// Why a call failed. Never contains credentials.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client or the request was configured wrongly: no credentials, an unknown region, an
    /// invalid endpoint, no project ID...
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// The request did not get a response: connection refused or reset, TLS or I/O failure.
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),
    /// No response arrived within the configured timeout.
    #[error("the request timed out after {elapsed:?}")]
    Timeout {
        /// How long the last attempt waited.
        elapsed: Duration,
    },
    /// The API answered with an error status (400 and above).
    #[error(transparent)]
    Api(ApiError),
    /// A success response whose body does not fit the documented type.
    #[error(
        "could not decode the response (status {status}, request id {}): {message}",
        or_none(request_id)
    )]
    Decode {
        /// HTTP status of the response.
        status: u16,
        /// The request id the API gave, if any.
        request_id: Option<String>,
        /// What did not fit, as serde reports it.
        message: String,
    },
    /// The request could not be encoded: its body did not serialize, or a header or the URL
    /// is not valid HTTP.
    #[error("could not encode the request: {0}")]
    Encode(String),
    /// A header given with [`ClientBuilder::default_header`](super::ClientBuilder::default_header)
    /// (reported by `build`) or with a request builder's `.header(..)` (reported by `send`,
    /// before anything is sent) cannot be sent. The value is never shown: it may be a secret.
    #[error("header `{}` cannot be sent: {problem}", name.escape_debug())]
    InvalidHeader {
        /// The header's name, as given.
        name: String,
        /// What is wrong with it.
        problem: HeaderProblem,
    },
    /// A success status the spec does not document for this operation.
    #[error(
        "undocumented response status {status} (request id {})",
        or_none(request_id)
    )]
    UnexpectedStatus {
        /// HTTP status of the response.
        status: u16,
        /// The request id the API gave, if any.
        request_id: Option<String>,
        /// The response body, as text.
        body: String,
    },
    /// The response body was larger than the client reads
    /// ([`ClientBuilder::max_response_bytes`](super::ClientBuilder::max_response_bytes)); it was
    /// not kept. Not retried.
    #[error("the response (status {status}) is larger than the {limit} bytes the client reads")]
    ResponseTooLarge {
        /// HTTP status of the response.
        status: u16,
        /// The limit in force.
        limit: usize,
    },
    /// An asynchronous job that a call started ended in a failed state.
    #[error(
        "job {job_id} failed with status {status}{}",
        reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default()
    )]
    JobFailed {
        /// The job's id.
        job_id: String,
        /// The status the API reported.
        status: String,
        /// Why it failed, as the task API reported it (TaurusDB's `fail_reason`), if the
        /// service documents a field for it and the answer filled it in.
        reason: Option<String>,
    },
    /// An asynchronous job did not finish within the time given to wait for it.
    #[error(
        "job {job_id} did not finish within {waited:?} (last status {})",
        or_none(last_status)
    )]
    JobTimeout {
        /// The job's id.
        job_id: String,
        /// How long the caller waited.
        waited: std::time::Duration,
        /// The last status the API reported, if any.
        last_status: Option<String>,
    },
}

/// What is wrong with a header in [`Error::InvalidHeader`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderProblem {
    /// The name is not a valid HTTP header name (empty, or with spaces or separators).
    InvalidName,
    /// The value has characters a header cannot carry (line breaks, control characters,
    /// non-ASCII).
    InvalidValue,
    /// The runtime sets this header itself (authentication, signing, `X-Project-Id`, framing);
    /// see [`RESERVED_HEADERS`](super::RESERVED_HEADERS).
    Reserved,
}

impl fmt::Display for HeaderProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HeaderProblem::InvalidName => "the name is not a valid HTTP header name",
            HeaderProblem::InvalidValue => "the value has characters a header cannot carry",
            HeaderProblem::Reserved => {
                "the client sets this header itself (authentication, signing, project, framing)"
            }
        })
    }
}

fn or_none(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("none")
}

impl Error {
    /// The API error, if the API answered with an error status.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode { status, .. }
            | Error::UnexpectedStatus { status, .. }
            | Error::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The request id the API gave, when there was a response carrying one: quote it to support.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::Decode { request_id, .. } | Error::UnexpectedStatus { request_id, .. } => {
                request_id.as_deref()
            }
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
    /// The request id from `X-Request-Id` (or `X-Openstack-Request-Id`), for support requests.
    pub request_id: Option<String>,
    /// The whole response body, as text (invalid UTF-8 replaced).
    pub body: String,
}

/// Where services put the error code, most common first.
const CODE_FIELDS: [&str; 3] = ["error_code", "errCode", "code"];
/// Where services put the error message, most common first.
const MESSAGE_FIELDS: [&str; 4] = ["error_msg", "externalMessage", "message", "errMsg"];

impl ApiError {
    /// Reads an error response leniently. The documents' `{"error_code", "error_msg"}` shape is
    /// the norm; `code`/`message`, `errCode`/`externalMessage` and the same nested in
    /// `{"error": {...}}` are read too. A body that is not JSON (a gateway's HTML page) leaves
    /// the code and message `None` and is kept in [`ApiError::body`].
    pub fn from_response(status: u16, request_id: Option<String>, body: &[u8]) -> ApiError {
        let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
        // A nested object wins: `{"error": {...}}` puts everything there.
        let object = json
            .as_ref()
            .map(|v| v.get("error").filter(|e| e.is_object()).unwrap_or(v));
        let field = |names: &[&str]| {
            let object = object?;
            names.iter().find_map(|name| match object.get(*name)? {
                serde_json::Value::String(s) if !s.is_empty() => Some(s.clone()),
                serde_json::Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
        };
        ApiError {
            status,
            error_code: field(&CODE_FIELDS),
            error_msg: field(&MESSAGE_FIELDS),
            request_id,
            body: String::from_utf8_lossy(body).into_owned(),
        }
    }

    /// Whether this is the documented error `code` (compares the `error_code` only, since the
    /// same code may come with several statuses).
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
            "API error: status {}, error code {}, message {}, request id {}",
            self.status,
            self.error_code.as_deref().unwrap_or("(none)"),
            self.error_msg.as_deref().unwrap_or("(none)"),
            or_none(&self.request_id),
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

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_may_be_numbers_and_empty_strings_are_absent() {
        let e = ApiError::from_response(400, None, br#"{"code": 42, "message": ""}"#);
        assert_eq!(e.error_code.as_deref(), Some("42"));
        assert_eq!(e.error_msg, None);
    }

    #[test]
    fn is_compares_the_code() {
        const BAD: ErrorCode = ErrorCode {
            code: "DBS.200001",
            status: 400,
            message: "bad",
            description: "",
            solution: "",
        };
        let e = ApiError::from_response(400, None, br#"{"error_code":"DBS.200001"}"#);
        assert!(e.is(&BAD));
        assert!(!ApiError::from_response(400, None, b"").is(&BAD));
    }
}
