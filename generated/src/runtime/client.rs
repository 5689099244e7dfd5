//! Client configuration, endpoint resolution and the request loop (auth, timeouts, retries).

use super::credentials::Credentials;
use super::error::{ApiError, Error};
use super::retry::RetryConfig;
use super::signing;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use tracing::Instrument;

/// One row of a service's documented endpoint table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegionEndpoint {
    /// Region ID, such as `cn-north-4`.
    pub region: &'static str,
    /// The region's display name.
    pub name: &'static str,
    /// The service's host in that region.
    pub host: &'static str,
}

/// What the runtime needs to know about a service to reach it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceDescriptor {
    /// The service's name in this crate (`taurusdb`).
    pub name: &'static str,
    /// The service's label in host names (`gaussdb`), the `{service}` of the pattern.
    pub endpoint_service: &'static str,
    /// The documented region endpoints.
    pub endpoints: &'static [RegionEndpoint],
    /// Host pattern for regions not in the table, with `{service}`, `{region}` and `{domain}`.
    pub endpoint_pattern: Option<&'static str>,
    /// The `{domain}` used when the builder was given none.
    pub default_domain: Option<&'static str>,
}

/// A generated service client: built by [`ClientBuilder::build`] around a [`Handle`].
pub trait ServiceClient: Sized {
    /// The service this client talks to.
    const SERVICE: &'static ServiceDescriptor;
    /// Wraps a configured handle.
    fn from_handle(handle: Handle) -> Self;
}

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Configures a service client. Obtain one with the service's `Client::builder()`.
pub struct ClientBuilder<C> {
    region: Option<String>,
    endpoint: Option<String>,
    domain: Option<String>,
    project_id: Option<String>,
    credentials: Option<Credentials>,
    retry: RetryConfig,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: Option<String>,
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("domain", &self.domain)
            .field("project_id", &self.project_id)
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .finish()
    }
}

impl<C: ServiceClient> Default for ClientBuilder<C> {
    fn default() -> Self {
        Self::new()
    }
}

impl<C: ServiceClient> ClientBuilder<C> {
    /// A builder with default retries (3 attempts) and timeouts (60 s per attempt, 10 s to connect).
    pub fn new() -> Self {
        ClientBuilder {
            region: None,
            endpoint: None,
            domain: None,
            project_id: None,
            credentials: None,
            retry: RetryConfig::default(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: None,
            client: PhantomData,
        }
    }

    /// The region to call, such as `cn-north-4`; its host comes from the service's endpoint table.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// A base URL that overrides the region's endpoint (private clouds, proxies, mock servers).
    /// A bare host gets `https://`.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// The domain of the endpoint pattern for regions outside the endpoint table.
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.domain = Some(domain.into());
        self
    }

    /// The project ID that fills `{project_id}` in request paths.
    pub fn project_id(mut self, project_id: impl Into<String>) -> Self {
        self.project_id = Some(project_id.into());
        self
    }

    /// How requests are authenticated.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// The retry policy.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// How long one attempt may take, response body included. Default 60 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long connecting may take. Default 10 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header. Default `huaweicloud-db/<version>`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Fills what is not set yet from the environment: credentials (`HUAWEICLOUD_SDK_AK`,
    /// `HUAWEICLOUD_SDK_SK`, `HUAWEICLOUD_SDK_SECURITY_TOKEN`), `HUAWEICLOUD_SDK_PROJECT_ID` and
    /// `HUAWEICLOUD_SDK_REGION`.
    pub fn from_env(mut self) -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        if self.credentials.is_none() {
            self.credentials = Credentials::from_env();
        }
        if self.project_id.is_none() {
            self.project_id = var("HUAWEICLOUD_SDK_PROJECT_ID");
        }
        if self.region.is_none() {
            self.region = var("HUAWEICLOUD_SDK_REGION");
        }
        self
    }

    /// Resolves the endpoint and builds the client.
    pub fn build(self) -> Result<C, Error> {
        let service = C::SERVICE;
        let base_url = resolve_base_url(
            service,
            self.endpoint.as_deref(),
            self.region.as_deref(),
            self.domain.as_deref(),
        )?;
        let url = reqwest::Url::parse(&base_url)
            .map_err(|e| Error::Config(format!("invalid endpoint `{base_url}`: {e}")))?;
        let host = url
            .host_str()
            .ok_or_else(|| Error::Config(format!("endpoint `{base_url}` has no host")))?;
        let host_header = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        };
        let credentials = self.credentials.ok_or_else(|| {
            Error::Config("no credentials: call .credentials(..) or set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK".into())
        })?;
        let user_agent = self
            .user_agent
            .unwrap_or_else(|| concat!("huaweicloud-db/", env!("CARGO_PKG_VERSION")).to_string());
        let http = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .user_agent(user_agent)
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        let inner = Inner {
            service,
            base_url: base_url.trim_end_matches('/').to_string(),
            host_header,
            region: self.region,
            project_id: self.project_id,
            credentials,
            retry: self.retry,
            timeout: self.timeout,
            http,
        };
        Ok(C::from_handle(Handle {
            inner: Arc::new(inner),
        }))
    }
}

/// Endpoint override, else the region's documented host, else the service's host pattern.
fn resolve_base_url(
    service: &ServiceDescriptor,
    endpoint: Option<&str>,
    region: Option<&str>,
    domain: Option<&str>,
) -> Result<String, Error> {
    if let Some(endpoint) = endpoint {
        let endpoint = endpoint.trim();
        return Ok(if endpoint.contains("://") {
            endpoint.to_string()
        } else {
            format!("https://{endpoint}")
        });
    }
    let region = region.ok_or_else(|| {
        Error::Config("no region or endpoint: call .region(..) or .endpoint(..), or set HUAWEICLOUD_SDK_REGION".into())
    })?;
    if let Some(known) = service.endpoints.iter().find(|e| e.region == region) {
        return Ok(format!("https://{}", known.host));
    }
    let known: Vec<&str> = service.endpoints.iter().map(|e| e.region).collect();
    let pattern = service.endpoint_pattern.ok_or_else(|| {
        Error::Config(format!(
            "unknown region `{region}` for {}; known regions: {}",
            service.name,
            known.join(", ")
        ))
    })?;
    let domain = domain.or(service.default_domain).ok_or_else(|| {
        Error::Config(format!("region `{region}` is not in the endpoint table of {}; give .domain(..) or .endpoint(..)", service.name))
    })?;
    let host = pattern
        .replace("{service}", service.endpoint_service)
        .replace("{region}", region)
        .replace("{domain}", domain);
    Ok(format!("https://{host}"))
}

struct Inner {
    service: &'static ServiceDescriptor,
    base_url: String,
    host_header: String,
    region: Option<String>,
    project_id: Option<String>,
    credentials: Credentials,
    retry: RetryConfig,
    timeout: Duration,
    http: reqwest::Client,
}

/// A configured connection to one service, shared by the client's clones and its requests.
#[derive(Clone)]
pub struct Handle {
    inner: Arc<Inner>,
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Handle")
            .field("service", &inner.service.name)
            .field("base_url", &inner.base_url)
            .field("region", &inner.region)
            .field("project_id", &inner.project_id)
            .field("credentials", &inner.credentials)
            .field("retry", &inner.retry)
            .field("timeout", &inner.timeout)
            .finish()
    }
}

/// One request of an operation, as generated code builds it.
#[derive(Debug, Clone)]
pub struct OperationRequest {
    method: reqwest::Method,
    operation: &'static str,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
    retry_safe: bool,
}

impl OperationRequest {
    /// A request for `operation` (its id, for logs) to `path`, which is already percent-encoded.
    pub fn new(method: reqwest::Method, operation: &'static str, path: String) -> Self {
        OperationRequest {
            method,
            operation,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            retry_safe: false,
        }
    }

    /// Adds a query parameter; call again to repeat a name.
    pub fn query(&mut self, name: &str, value: impl ToString) {
        self.query.push((name.to_string(), value.to_string()));
    }

    /// Adds a header.
    pub fn header(&mut self, name: &str, value: impl ToString) {
        self.headers.push((name.to_string(), value.to_string()));
    }

    /// Sets a JSON body.
    pub fn json_body<T: serde::Serialize>(&mut self, body: &T) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|e| Error::Encode(e.to_string()))?;
        self.body = Some(bytes);
        Ok(())
    }

    /// Whether the request may be repeated after a failure whose effect is unknown.
    pub fn retry_safe(&mut self, safe: bool) {
        self.retry_safe = safe;
    }
}

/// A response with a success or redirect status.
#[derive(Debug, Clone)]
pub struct RawResponse {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
    request_id: Option<String>,
}

impl RawResponse {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The request id (`X-Request-Id`, or `X-Openstack-Request-Id`).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The response body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as `T`; an empty body reads as `{}`.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        let body: &[u8] = if self.body.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            &self.body
        };
        serde_json::from_slice(body).map_err(|e| Error::Decode {
            status: self.status,
            request_id: self.request_id.clone(),
            message: e.to_string(),
        })
    }
}

/// Percent-encodes a path parameter's value (everything but `A-Z a-z 0-9 - _ . ~`).
pub fn encode_path_segment(segment: &str) -> String {
    signing::encode(segment)
}

/// What went wrong with one attempt, before deciding whether to try again.
enum Failure {
    /// Nothing was sent: retrying is always safe.
    Connect(reqwest::Error),
    Timeout(Duration),
    Other(Error),
}

impl Handle {
    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The configured region, if any.
    pub fn region(&self) -> Option<&str> {
        self.inner.region.as_deref()
    }

    /// The project ID for a request: its override, else the configured one.
    pub fn resolve_project_id(&self, override_id: Option<String>) -> Result<String, Error> {
        override_id.or_else(|| self.inner.project_id.clone()).ok_or_else(|| {
            Error::Config("no project ID: call .project_id(..) on the builder or the request, or set HUAWEICLOUD_SDK_PROJECT_ID".into())
        })
    }

    /// Sends the request with authentication, timeouts and retries. Statuses from 400 up become
    /// `Error::Api`.
    pub async fn execute(&self, request: OperationRequest) -> Result<RawResponse, Error> {
        let span = tracing::debug_span!(
            "huaweicloud_db.call",
            service = self.inner.service.name,
            operation = request.operation,
            method = %request.method,
        );
        self.execute_with_retries(&request).instrument(span).await
    }

    async fn execute_with_retries(&self, request: &OperationRequest) -> Result<RawResponse, Error> {
        let retry = &self.inner.retry;
        let mut attempt = 1;
        loop {
            let last = attempt >= retry.attempts();
            let outcome = self.attempt(request).await;
            let wait_headers = match &outcome {
                Ok(response) if response.status < 400 => None,
                Ok(response)
                    if !last && retry.retries_status(response.status, request.retry_safe) =>
                {
                    Some(Some(response.headers.clone()))
                }
                Err(Failure::Connect(_)) if !last => Some(None),
                Err(Failure::Timeout(_)) if !last && retry.retries_timeout(request.retry_safe) => {
                    Some(None)
                }
                _ => None,
            };
            if let Some(headers) = wait_headers {
                let wait = retry.backoff(attempt, headers.as_ref());
                tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, "retrying");
                tokio::time::sleep(wait).await;
                attempt += 1;
                continue;
            }
            return match outcome {
                Ok(response) if response.status < 400 => Ok(response),
                Ok(response) => Err(Error::Api(ApiError::from_response(
                    response.status,
                    response.request_id,
                    &response.body,
                ))),
                Err(Failure::Connect(e)) => Err(Error::Transport(e)),
                Err(Failure::Timeout(elapsed)) => Err(Error::Timeout { elapsed }),
                Err(Failure::Other(e)) => Err(e),
            };
        }
    }

    async fn attempt(&self, request: &OperationRequest) -> Result<RawResponse, Failure> {
        let inner = &self.inner;
        let mut url = format!("{}{}", inner.base_url, request.path);
        if !request.query.is_empty() {
            let query: Vec<String> = request
                .query
                .iter()
                .map(|(k, v)| format!("{}={}", signing::encode(k), signing::encode(v)))
                .collect();
            url.push('?');
            url.push_str(&query.join("&"));
        }
        let headers = self.request_headers(request).map_err(Failure::Other)?;
        let mut header_map = HeaderMap::new();
        for (name, value) in &headers {
            if name.eq_ignore_ascii_case("host") {
                continue; // the HTTP client sets the same value itself
            }
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                Failure::Other(Error::Encode(format!("invalid header name `{name}`")))
            })?;
            let value = HeaderValue::from_str(value).map_err(|_| {
                Failure::Other(Error::Encode(format!("invalid value for header `{name}`")))
            })?;
            header_map.append(name, value);
        }
        let mut builder = inner
            .http
            .request(request.method.clone(), url)
            .headers(header_map);
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }
        let started = Instant::now();
        let exchange = async {
            let response = builder.send().await?;
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = response.bytes().await?;
            Ok::<_, reqwest::Error>((status, headers, body.to_vec()))
        };
        match tokio::time::timeout(inner.timeout, exchange).await {
            Err(_) => Err(Failure::Timeout(started.elapsed())),
            Ok(Err(e)) if e.is_connect() => Err(Failure::Connect(e)),
            Ok(Err(e)) if e.is_timeout() => Err(Failure::Timeout(started.elapsed())),
            Ok(Err(e)) => Err(Failure::Other(Error::Transport(e))),
            Ok(Ok((status, headers, body))) => {
                let request_id =
                    ["x-request-id", "x-openstack-request-id"]
                        .iter()
                        .find_map(|name| {
                            headers
                                .get(*name)
                                .and_then(|v| v.to_str().ok())
                                .map(str::to_string)
                        });
                tracing::debug!(
                    status,
                    elapsed_ms = started.elapsed().as_millis() as u64,
                    "response"
                );
                Ok(RawResponse {
                    status,
                    headers,
                    body,
                    request_id,
                })
            }
        }
    }

    /// The request's own headers plus content type and authentication, signed for AK/SK.
    fn request_headers(&self, request: &OperationRequest) -> Result<Vec<(String, String)>, Error> {
        let inner = &self.inner;
        let mut headers = request.headers.clone();
        if request.body.is_some() {
            headers.push((
                "Content-Type".into(),
                "application/json;charset=UTF-8".into(),
            ));
        }
        match &inner.credentials {
            Credentials::Token(token) => headers.push(("X-Auth-Token".into(), token.clone())),
            Credentials::AkSk {
                ak,
                sk,
                security_token,
            } => {
                headers.push(("Host".into(), inner.host_header.clone()));
                headers.push((
                    signing::DATE_HEADER.into(),
                    signing::format_sdk_date(SystemTime::now()),
                ));
                let mut signed = vec!["host", "x-sdk-date"];
                if let Some(project_id) = &inner.project_id {
                    headers.push(("X-Project-Id".into(), project_id.clone()));
                    signed.push("x-project-id");
                }
                if let Some(token) = security_token {
                    headers.push(("X-Security-Token".into(), token.clone()));
                    signed.push("x-security-token");
                }
                if request.body.is_some() {
                    signed.push("content-type");
                }
                let query = request.query.clone();
                let signable = signing::SignableRequest {
                    method: request.method.as_str(),
                    path: &request.path,
                    query: &query,
                    headers: &headers,
                    body: request.body.as_deref().unwrap_or_default(),
                };
                let authorization = signing::sign(&signable, &signed, ak, sk)
                    .map_err(|e| Error::Config(e.to_string()))?;
                headers.push(("Authorization".into(), authorization));
            }
        }
        Ok(headers)
    }
}
