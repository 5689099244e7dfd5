//! The configured connection to a service, and the request loop: one attempt after another,
//! each authenticated afresh, until a response, a final failure or the attempts run out.

use super::auth::{self, WireRequest};
use super::client::ServiceDescriptor;
use super::credentials::Credentials;
use super::endpoint::Endpoint;
use super::error::{ApiError, Error};
use super::headers::{self, ExtraHeaders};
use super::request::OperationRequest;
use super::response::{self, RawResponse};
use super::retry::{self, Outcome, RetryConfig};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use tracing::Instrument;

/// Everything a built client shares between its clones and its requests.
pub(crate) struct Inner {
    pub(crate) service: &'static ServiceDescriptor,
    pub(crate) endpoint: Endpoint,
    pub(crate) region: Option<String>,
    pub(crate) project_id: Option<String>,
    pub(crate) credentials: Credentials,
    pub(crate) retry: RetryConfig,
    pub(crate) timeout: Duration,
    pub(crate) max_response_bytes: usize,
    /// [`ClientBuilder::default_header`](super::ClientBuilder::default_header)s, already checked.
    pub(crate) default_headers: ExtraHeaders,
    pub(crate) http: reqwest::Client,
}

/// A configured connection to one service, shared (cheaply cloned) by a client and its requests.
#[derive(Clone)]
pub struct Handle {
    inner: Arc<Inner>,
    /// Headers of the one request whose builder holds this copy (see [`Handle::set_header`]).
    request_headers: ExtraHeaders,
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `Credentials`' own Debug redacts the secrets.
        let inner = &self.inner;
        f.debug_struct("Handle")
            .field("service", &inner.service.name)
            .field("base_url", &inner.endpoint.base_url)
            .field("region", &inner.region)
            .field("project_id", &inner.project_id)
            .field("credentials", &inner.credentials)
            .field("retry", &inner.retry)
            .field("timeout", &inner.timeout)
            .field("default_headers", &inner.default_headers)
            .field("request_headers", &self.request_headers)
            .finish()
    }
}

/// What can go wrong between sending and having the whole body.
enum Exchange {
    Http(reqwest::Error),
    /// The body is larger than the client reads.
    TooLarge {
        status: u16,
        limit: usize,
    },
}

/// Why an attempt produced no usable response.
enum Failure {
    /// The API answered with an error status.
    Status(RawResponse),
    /// No response: `outcome` says whether the request may have reached the server.
    Transport { outcome: Outcome, error: Error },
    /// The request cannot be sent at all; trying again would fail the same way.
    Fatal(Error),
}

impl Failure {
    /// The error the caller gets when this failure is the last word.
    fn into_error(self) -> Error {
        match self {
            Failure::Status(response) => Error::Api(ApiError::from_response(
                response.status(),
                response.request_id().map(str::to_string),
                response.body(),
            )),
            Failure::Transport { error, .. } | Failure::Fatal(error) => error,
        }
    }
}

/// The response, if its status is one the request documents as success.
fn documented(request: &OperationRequest, response: RawResponse) -> Result<RawResponse, Error> {
    if request.success.is_empty() || request.success.contains(&response.status()) {
        return Ok(response);
    }
    Err(response.unexpected_status())
}

impl Handle {
    pub(crate) fn new(inner: Arc<Inner>) -> Self {
        Handle {
            inner,
            request_headers: ExtraHeaders::default(),
        }
    }

    /// Sets a header on the requests sent through this copy of the handle: each request
    /// builder holds its own copy, so this is what its `.header(name, value)` calls.
    ///
    /// The header replaces one of the same name (compared without regard to case) that the
    /// operation's parameters or [`ClientBuilder::default_header`] set; set again, the name
    /// gets the new value. A name or value that cannot be sent, or a name of
    /// [`RESERVED_HEADERS`], fails [`Handle::execute`] with [`Error::InvalidHeader`] before
    /// anything is sent.
    ///
    /// [`ClientBuilder::default_header`]: super::ClientBuilder::default_header
    /// [`RESERVED_HEADERS`]: super::RESERVED_HEADERS
    pub fn set_header(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.request_headers.set(name.into(), value.into());
    }

    /// This handle without the headers [`Handle::set_header`] added: what the client itself
    /// sends, for the follow-up calls (such as a job's status) that one request leads to.
    pub fn without_request_headers(&self) -> Handle {
        Handle::new(self.inner.clone())
    }

    /// The base URL requests go to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.inner.endpoint.base_url
    }

    /// The configured region, if any.
    pub fn region(&self) -> Option<&str> {
        self.inner.region.as_deref()
    }

    /// The project ID for a request: its override, else the client's, else [`Error::Config`].
    pub fn resolve_project_id(&self, override_id: Option<String>) -> Result<String, Error> {
        override_id
            .or_else(|| self.inner.project_id.clone())
            .ok_or_else(|| {
                Error::Config(
                    "no project ID: call .project_id(..) on the client builder or on the request, or set HUAWEICLOUD_SDK_PROJECT_ID"
                        .to_string(),
                )
            })
    }

    /// Sends the request with authentication, the timeout and retries.
    ///
    /// Responses from 400 up become [`Error::Api`]; a status the request does not list as a
    /// success (see [`OperationRequest::success_statuses`]) becomes [`Error::UnexpectedStatus`];
    /// documented successes come back as they are, for the generated code to decode. Each call
    /// is a `huaweicloud_db.call` tracing span (fields `service`, `operation`, `method`,
    /// `attempt`); nothing secret and no body is logged.
    pub async fn execute(&self, mut request: OperationRequest) -> Result<RawResponse, Error> {
        headers::merge(
            &mut request.headers,
            &self.inner.default_headers,
            &self.request_headers,
        )?;
        let span = tracing::debug_span!(
            "huaweicloud_db.call",
            service = self.inner.service.name,
            operation = request.operation,
            method = %request.method,
            attempt = tracing::field::Empty,
        );
        self.call(&request).instrument(span).await
    }

    async fn call(&self, request: &OperationRequest) -> Result<RawResponse, Error> {
        let url = self.url(request)?;
        let retry = &self.inner.retry;
        let mut attempt: u32 = 1;
        loop {
            tracing::Span::current().record("attempt", attempt);
            let failure = match self.attempt(request, &url).await {
                Ok(response) => return documented(request, response),
                Err(failure) => failure,
            };
            let retryable = match &failure {
                Failure::Status(response) => Some((
                    Outcome::Status(response.status()),
                    retry::retry_after(response.headers(), SystemTime::now()),
                )),
                Failure::Transport { outcome, .. } => Some((*outcome, None)),
                Failure::Fatal(_) => None,
            };
            let (outcome, retry_after) = match retryable {
                Some((outcome, retry_after))
                    if attempt < retry.attempts()
                        && retry.is_retryable(outcome, request.retry_safe) =>
                {
                    (outcome, retry_after)
                }
                _ => return Err(failure.into_error()),
            };
            let wait = retry.backoff(attempt, retry_after);
            tracing::info!(
                attempt,
                ?outcome,
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                "retrying"
            );
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// The full URL: base URL, path, and the query encoded the way it is signed.
    fn url(&self, request: &OperationRequest) -> Result<reqwest::Url, Error> {
        if let Some(segment) = request.path.split('/').find(|s| is_dot_segment(s)) {
            // URL parsing would resolve it and send the request to another resource.
            return Err(Error::Encode(format!(
                "the path `{}` has a `{segment}` segment (is a path parameter `.` or `..`?)",
                request.path
            )));
        }
        let slash = if request.path.starts_with('/') {
            ""
        } else {
            "/"
        };
        let mut url = format!("{}{slash}{}", self.inner.endpoint.base_url, request.path);
        let mut separator = '?';
        for (name, value) in &request.query {
            url.push(separator);
            url.push_str(&super::signing::encode(name));
            url.push('=');
            url.push_str(&super::signing::encode(value));
            separator = '&';
        }
        reqwest::Url::parse(&url).map_err(|e| {
            Error::Encode(format!(
                "invalid request URL for path `{}`: {e}",
                request.path
            ))
        })
    }

    async fn attempt(
        &self,
        request: &OperationRequest,
        url: &reqwest::Url,
    ) -> Result<RawResponse, Failure> {
        let inner = &self.inner;
        let body = request.body.as_deref().unwrap_or_default();
        let wire = WireRequest {
            method: request.method.as_str(),
            // What the server sees (the URL parser's form), so the signature matches it.
            path: url.path(),
            query: &request.query,
            host: &inner.endpoint.host,
            body,
        };
        let project = auth::Project {
            request: request.project_id.as_deref(),
            client: inner.project_id.as_deref(),
        };
        let headers = auth::authenticate(
            &inner.credentials,
            project,
            &wire,
            request.headers.clone(),
            SystemTime::now(),
        )
        .map_err(Failure::Fatal)?;
        let mut builder = inner
            .http
            .request(request.method.clone(), url.clone())
            .headers(header_map(headers).map_err(Failure::Fatal)?);
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }
        let started = Instant::now();
        let limit = inner.max_response_bytes;
        let exchange = async {
            let mut response = builder.send().await.map_err(Exchange::Http)?;
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let too_large = Exchange::TooLarge { status, limit };
            let announced = response.content_length().unwrap_or(0);
            if announced > limit as u64 {
                return Err(too_large);
            }
            // Read into one buffer, chunk by chunk, and stop at the limit: an endless body costs
            // at most `limit` bytes.
            let mut body = Vec::with_capacity(announced as usize);
            while let Some(chunk) = response.chunk().await.map_err(Exchange::Http)? {
                if body.len() + chunk.len() > limit {
                    return Err(too_large);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(RawResponse::new(status, headers, body))
        };
        let result = tokio::time::timeout(inner.timeout, exchange).await;
        let elapsed = started.elapsed();
        let elapsed_ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
        match result {
            Err(_) => {
                tracing::debug!(elapsed_ms, "timed out");
                Err(Failure::Transport {
                    outcome: Outcome::TimedOut,
                    error: Error::Timeout { elapsed },
                })
            }
            Ok(Err(Exchange::Http(error))) => {
                tracing::debug!(elapsed_ms, error = %error, "transport error");
                Err(classify(error, elapsed))
            }
            Ok(Err(Exchange::TooLarge { status, limit })) => {
                tracing::debug!(elapsed_ms, status, limit, "response too large");
                Err(Failure::Fatal(Error::ResponseTooLarge { status, limit }))
            }
            Ok(Ok(response)) => {
                tracing::debug!(
                    status = response.status(),
                    request_id = response::request_id(response.headers()),
                    elapsed_ms,
                    "response"
                );
                if response.status() >= 400 {
                    Err(Failure::Status(response))
                } else {
                    Ok(response)
                }
            }
        }
    }
}

/// Sorts a transport error by whether the request may have reached the server.
fn classify(error: reqwest::Error, elapsed: Duration) -> Failure {
    if error.is_builder() {
        return Failure::Fatal(Error::Transport(error));
    }
    // A failed connect (refused, DNS, TLS handshake, connect timeout) sent nothing.
    let outcome = if error.is_connect() {
        Outcome::NotSent
    } else if error.is_timeout() {
        Outcome::TimedOut
    } else {
        Outcome::Interrupted
    };
    let error = if error.is_timeout() {
        Error::Timeout { elapsed }
    } else {
        Error::Transport(error)
    };
    Failure::Transport { outcome, error }
}

/// `.`, `..` and their percent-encoded forms, which URL parsing resolves away.
fn is_dot_segment(segment: &str) -> bool {
    let unescaped = segment.to_ascii_lowercase().replace("%2e", ".");
    unescaped == "." || unescaped == ".."
}

/// The headers to send, without `Host` (the HTTP client derives the same value from the URL).
/// Invalid names or values fail without echoing the value, which may be a secret.
fn header_map(headers: Vec<(String, String)>) -> Result<HeaderMap, Error> {
    let mut map = HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        if name.eq_ignore_ascii_case("host") {
            continue;
        }
        let header_name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::Encode(format!("invalid header name `{}`", name.escape_debug())))?;
        let header_value = HeaderValue::from_str(&value)
            .map_err(|_| Error::Encode(format!("invalid value for header `{header_name}`")))?;
        map.append(header_name, header_value);
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_segments_are_recognised_in_any_spelling() {
        for segment in [".", "..", "%2e", "%2E%2e", ".%2E"] {
            assert!(is_dot_segment(segment), "{segment}");
        }
        for segment in ["", "...", "a.", "%2e%2e%2e", "x"] {
            assert!(!is_dot_segment(segment), "{segment}");
        }
    }

    #[test]
    fn bad_headers_fail_without_their_value() {
        let bad_value = vec![("X-Token".to_string(), "secret\nvalue".to_string())];
        match header_map(bad_value) {
            Err(Error::Encode(message)) => assert!(!message.contains("secret"), "{message}"),
            other => panic!("{other:?}"),
        }
        assert!(header_map(vec![("bad name".to_string(), "v".to_string())]).is_err());
        let map = header_map(vec![
            ("Host".to_string(), "h".to_string()),
            ("X-A".to_string(), "1".to_string()),
        ])
        .unwrap_or_default();
        assert_eq!(map.len(), 1);
    }
}
