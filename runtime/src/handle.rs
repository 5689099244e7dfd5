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
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use tracing::Instrument;

/// Everything a built client shares between its clones and its requests.
#[derive(Clone)]
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

    /// A handle whose requests also send `name: value`, as a default of the client: like
    /// [`ClientBuilder::default_header`], a request's own header of that name replaces it (the
    /// operation's documented parameter set on the request builder, or its `.header(..)`), and it
    /// replaces an earlier default of the same name. This handle is unchanged; the new one shares
    /// its connection pool. Generated clients call it from their setters of shared header
    /// parameters (`client.with_x_language(..)`), whose values are valid header values; a value
    /// that is not fails each request, as a documented header's would.
    ///
    /// [`ClientBuilder::default_header`]: super::ClientBuilder::default_header
    pub fn with_default_header(&self, name: impl Into<String>, value: impl Into<String>) -> Handle {
        let mut inner = Inner::clone(&self.inner);
        inner.default_headers.set(name.into(), value.into());
        Handle {
            inner: Arc::new(inner),
            request_headers: self.request_headers.clone(),
        }
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
        // Without a subscriber that wants the span, it is disabled, and the call is not wrapped
        // in it: entering and leaving a disabled span on every poll was 0.6 % of a call.
        if span.is_disabled() {
            self.call(&request, false).await
        } else {
            self.call(&request, true).instrument(span).await
        }
    }

    async fn call(
        &self,
        request: &OperationRequest,
        recording: bool,
    ) -> Result<RawResponse, Error> {
        let url = self.url(request)?;
        let retry = &self.inner.retry;
        let mut attempt: u32 = 1;
        loop {
            if recording {
                tracing::Span::current().record("attempt", attempt);
            }
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
    ///
    /// Made from a copy of the parsed base URL, so only the path and the query are parsed again
    /// (parsing the whole URL, host included, cost more than the rest of the request's making).
    fn url(&self, request: &OperationRequest) -> Result<reqwest::Url, Error> {
        request_url(&self.inner.endpoint.url, &request.path, &request.query)
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
            &request.headers,
            SystemTime::now(),
        )
        .map_err(Failure::Fatal)?;
        let mut http_request = reqwest::Request::new(request.method.clone(), url.clone());
        *http_request.headers_mut() = headers;
        if let Some(body) = &request.body {
            *http_request.body_mut() = Some(body.clone().into());
        }
        let started = Instant::now();
        let limit = inner.max_response_bytes;
        let exchange = async {
            let mut response = inner
                .http
                .execute(http_request)
                .await
                .map_err(Exchange::Http)?;
            let status = response.status().as_u16();
            let headers = std::mem::take(response.headers_mut());
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

/// `base` with `path` appended to its own path and `query` encoded the way it is signed: what
/// parsing the joined text gives, without parsing the scheme and the host again.
fn request_url(
    base: &reqwest::Url,
    path: &str,
    query: &[(String, String)],
) -> Result<reqwest::Url, Error> {
    // A dot segment starts with `.` or `%`; most paths have neither at a segment's start, and
    // are not split at all.
    let may_have_dots = path.starts_with(['.', '%']) || path.contains("/.") || path.contains("/%");
    let dot_segment = if may_have_dots {
        path.split('/').find(|s| is_dot_segment(s))
    } else {
        None
    };
    if let Some(segment) = dot_segment {
        // URL parsing would resolve it and send the request to another resource.
        return Err(Error::Encode(format!(
            "the path `{path}` has a `{segment}` segment (is a path parameter `.` or `..`?)"
        )));
    }
    let mut url = base.clone();
    // The base URL's own path (`/`, or a prefix such as `/prefix`) comes first.
    let prefix = base.path().trim_end_matches('/');
    let slash = if path.starts_with('/') { "" } else { "/" };
    if prefix.is_empty() && slash.is_empty() {
        url.set_path(path);
    } else {
        url.set_path(&format!("{prefix}{slash}{path}"));
    }
    if !query.is_empty() {
        let mut text = String::new();
        for (name, value) in query {
            if !text.is_empty() {
                text.push('&');
            }
            text.push_str(&super::signing::encode(name));
            text.push('=');
            text.push_str(&super::signing::encode(value));
        }
        url.set_query(Some(&text));
    }
    Ok(url)
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
    // One or two dots, each `.` or `%2e` in any case; checked without allocating, as every
    // segment of every request is.
    let mut rest = segment.as_bytes();
    let mut dots = 0;
    while !rest.is_empty() {
        rest = match rest {
            [b'.', tail @ ..] => tail,
            [b'%', b'2', b'e' | b'E', tail @ ..] => tail,
            _ => return false,
        };
        dots += 1;
    }
    dots == 1 || dots == 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_segments_are_recognised_in_any_spelling() {
        for segment in [".", "..", "%2e", "%2E%2e", ".%2E"] {
            assert!(is_dot_segment(segment), "{segment}");
        }
        for segment in ["", "...", "a.", "%2e%2e%2e", "x", "%2", "%%2e", "%2f"] {
            assert!(!is_dot_segment(segment), "{segment}");
        }
    }

    #[test]
    fn request_urls_are_what_parsing_the_joined_text_gives() {
        let query = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect()
        };
        let cases = [
            ("http://127.0.0.1:8080", "/v3/p1/widgets/w1", query(&[])),
            (
                "https://h.example.com/prefix",
                "/v3/p1/x",
                query(&[("a", "1")]),
            ),
            ("https://h.example.com/pre%20fix/", "v3/x", query(&[])),
            (
                "https://h.example.com",
                "/v3/a%2Fb/%C3%A9 x|{y}",
                query(&[("name", "a b&c=d"), ("é", ""), ("name", "2")]),
            ),
            ("https://[::1]:8443", "//double", query(&[("k", "v")])),
        ];
        for (base, path, query) in cases {
            let endpoint = reqwest::Url::parse(base).unwrap_or_else(|e| panic!("{base}: {e}"));
            // What the URL used to be: the base URL's text, the path and the query, parsed.
            let mut joined = format!(
                "{}{}{path}",
                endpoint.as_str().trim_end_matches('/'),
                if path.starts_with('/') { "" } else { "/" }
            );
            for (i, (name, value)) in query.iter().enumerate() {
                joined.push(if i == 0 { '?' } else { '&' });
                joined.push_str(&super::super::signing::encode(name));
                joined.push('=');
                joined.push_str(&super::super::signing::encode(value));
            }
            let expected = reqwest::Url::parse(&joined).unwrap_or_else(|e| panic!("{joined}: {e}"));
            let made = request_url(&endpoint, path, &query).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(made.as_str(), expected.as_str(), "{base} + {path}");
        }
        let base = reqwest::Url::parse("https://h").unwrap_or_else(|e| panic!("{e}"));
        // Wherever the dot segment is, first, inside or last, and however it is spelled.
        for path in [
            "/v3/%2E%2e/x",
            "../x",
            "%2e/x",
            ".",
            "/v3/./x",
            "/v3/..",
            "v3/%2e",
        ] {
            assert!(
                matches!(request_url(&base, path, &[]), Err(Error::Encode(_))),
                "{path}"
            );
        }
        for path in ["/v3/.hidden/x", "/v3/a.b/..c", "/v3/%2F/x"] {
            assert!(request_url(&base, path, &[]).is_ok(), "{path}");
        }
    }
}
