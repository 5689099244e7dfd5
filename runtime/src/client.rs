//! How generated clients describe their service, and the builder that configures them.

use super::credentials::{env_var, process_env, Credentials, Env};
use super::endpoint;
use super::error::Error;
use super::handle::{Handle, Inner};
use super::headers::ExtraHeaders;
use super::retry::RetryConfig;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

/// The environment variable holding the default project ID.
const ENV_PROJECT_ID: &str = "HUAWEICLOUD_SDK_PROJECT_ID";
/// The environment variable holding the default region.
const ENV_REGION: &str = "HUAWEICLOUD_SDK_REGION";

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// The default of [`ClientBuilder::max_response_bytes`].
const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_USER_AGENT: &str = concat!("huaweicloud-db-rust/", env!("CARGO_PKG_VERSION"));

/// An environment to configure from: the value of a variable by name.
type Environment = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// One row of a service's documented endpoint table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegionEndpoint {
    /// Region ID, such as `cn-north-4`.
    pub region: &'static str,
    /// The region's display name, such as `CN North-Beijing4`.
    pub name: &'static str,
    /// The service's host in that region, without scheme.
    pub host: &'static str,
}

/// What the runtime needs to know about a service to reach it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceDescriptor {
    /// The service's name in this crate, such as `taurusdb`; used in logs and errors.
    pub name: &'static str,
    /// The service's label in host names (such as `gaussdb`), the `{service}` of the pattern.
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

/// Configures a service client; obtain one with the service's `Client::builder()`.
///
/// Only credentials and a way to the service (a region or an endpoint) are required:
///
/// ```no_run
/// use huaweicloud_db_runtime::{ClientBuilder, ServiceClient};
/// use huaweicloud_db_runtime::{Credentials, Error};
///
/// // `C` is a generated client, such as `taurusdb::Client` (whose `builder()` is this).
/// fn connect<C: ServiceClient>() -> Result<C, Error> {
///     ClientBuilder::<C>::new()
///         .region("cn-north-4")
///         .credentials(Credentials::ak_sk("my-ak", "my-sk"))
///         .project_id("0483b6b16e954cb88930a360d2c4e663")
///         .build()
/// }
/// ```
pub struct ClientBuilder<C> {
    region: Option<String>,
    endpoint: Option<String>,
    domain: Option<String>,
    project_id: Option<String>,
    credentials: Option<Credentials>,
    retry: RetryConfig,
    timeout: Duration,
    connect_timeout: Duration,
    max_response_bytes: usize,
    user_agent: Option<String>,
    default_headers: ExtraHeaders,
    /// The environment `from_env` read, kept for the region's endpoint variable, which `build`
    /// looks up once the region is final.
    env: Option<Environment>,
    // `fn() -> C`: the builder makes a `C` but holds none, so it is Send + Sync whatever `C` is.
    client: PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `Credentials`' own Debug redacts the secrets.
        f.debug_struct("ClientBuilder")
            .field("region", &self.region)
            .field("endpoint", &self.endpoint)
            .field("domain", &self.domain)
            .field("project_id", &self.project_id)
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("user_agent", &self.user_agent)
            .field("default_headers", &self.default_headers)
            .field("from_env", &self.env.is_some())
            .finish()
    }
}

impl<C: ServiceClient> Default for ClientBuilder<C> {
    fn default() -> Self {
        Self::new()
    }
}

impl<C: ServiceClient> ClientBuilder<C> {
    /// A builder with default retries ([`RetryConfig::default`]) and timeouts (60 s per
    /// attempt, 10 s to connect), and nothing else set.
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
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            user_agent: None,
            default_headers: ExtraHeaders::default(),
            env: None,
            client: PhantomData,
        }
    }

    /// The region to call, such as `cn-north-4`; its host comes from the service's endpoint
    /// table, or from the service's host pattern for regions not in it.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// A base URL that overrides the region's endpoint, for private clouds, proxies and mock
    /// servers: `http://127.0.0.1:8080`, or a bare host which then gets `https://`. A path
    /// prefix is kept and operation paths are appended to it.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// The `{domain}` of the service's host pattern, for regions outside the endpoint table
    /// (such as a dedicated cloud's domain). Defaults to the service's default domain.
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.domain = Some(domain.into());
        self
    }

    /// The project ID used by every request that needs one (requests may override it). With
    /// AK/SK credentials it is also sent, signed, as `X-Project-Id`.
    pub fn project_id(mut self, project_id: impl Into<String>) -> Self {
        self.project_id = Some(project_id.into());
        self
    }

    /// How requests are authenticated: a token or an AK/SK pair. Required.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// The retry policy. Default [`RetryConfig::default`]; [`RetryConfig::disabled`] turns
    /// retries off.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// The longest one attempt may take, from sending to the end of the response body.
    /// Default 60 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The longest connecting may take. Default 10 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The largest response body the client reads; a larger (or endless) one fails the call with
    /// [`Error::ResponseTooLarge`] instead of filling memory. Default 64 MiB, far above any
    /// answer of these management APIs.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// The `User-Agent` header. Default `huaweicloud-db-rust/<version>`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// A header sent with every request, such as a tracing header or one the spec does not
    /// know yet. Setting a name again replaces its value; names compare without regard to case.
    ///
    /// A request's own header of the same name wins: a documented header parameter set on the
    /// request builder, or its `.header(name, value)`. The headers the client sets itself
    /// ([`RESERVED_HEADERS`](super::RESERVED_HEADERS): `Authorization`, `X-Sdk-Date`, `Host`,
    /// `X-Auth-Token`, `X-Security-Token`, `X-Project-Id`, `Content-Type`...) cannot be set;
    /// naming one, or a name or value that is not valid in HTTP, makes [`ClientBuilder::build`]
    /// fail with [`Error::InvalidHeader`]. Extra headers are not signed: AK/SK signatures
    /// cover the client's own headers, which is what the API gateway checks.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.set(name.into(), value.into());
        self
    }

    /// Fills what is not already set from the process environment, with the variables Huawei
    /// Cloud's official SDKs read. Blank variables count as unset.
    ///
    /// - Credentials: `HUAWEICLOUD_SDK_AK` and `HUAWEICLOUD_SDK_SK` (both, or none are taken), and
    ///   `HUAWEICLOUD_SDK_SECURITY_TOKEN` for temporary ones.
    /// - Project ID: `HUAWEICLOUD_SDK_PROJECT_ID`.
    /// - Region: `HUAWEICLOUD_SDK_REGION`.
    /// - Endpoint: `HUAWEICLOUD_SDK_REGION_<SERVICE>_<REGION>`, where `<SERVICE>` is the service's
    ///   endpoint label ([`ServiceDescriptor::endpoint_service`]: `GAUSSDB` for TaurusDB, `DWS`
    ///   for GaussDB(DWS)) and `<REGION>` the region ID, both upper-cased with `-` written `_`:
    ///   `HUAWEICLOUD_SDK_REGION_GAUSSDB_CN_NORTH_4=https://gaussdb.example.com`. A bare host
    ///   gets `https://`; of a comma-separated list (which the official SDKs fail over) the first
    ///   is used.
    ///
    /// What the builder was given explicitly wins, wherever `from_env` stands in the chain. The
    /// endpoint is chosen in this order: [`ClientBuilder::endpoint`]; else the endpoint variable
    /// of the region ([`ClientBuilder::region`], else `HUAWEICLOUD_SDK_REGION`), looked up when
    /// [`ClientBuilder::build`] runs so that a region set after `from_env` counts; else the
    /// region's documented endpoint, else the service's host pattern. Without `from_env` the
    /// environment is never read.
    pub fn from_env(self) -> Self {
        self.from_env_with(process_env)
    }

    /// [`ClientBuilder::from_env`] over another environment: `env` returns a variable's value by
    /// name. For tests, and for configuration kept elsewhere under the same names.
    pub fn from_env_with(
        mut self,
        env: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        if self.credentials.is_none() {
            self.credentials = Credentials::from_lookup(&env);
        }
        if self.project_id.is_none() {
            self.project_id = env_var(&env, ENV_PROJECT_ID);
        }
        if self.region.is_none() {
            self.region = env_var(&env, ENV_REGION);
        }
        self.env = Some(Arc::new(env));
        self
    }

    /// Checks the configuration and builds the client (one HTTP connection pool per client).
    ///
    /// Fails with [`Error::Config`] when there are no usable credentials, when neither an
    /// endpoint nor a known region is given (the message names the region and lists the known
    /// ones), or when a value cannot be sent in HTTP; with [`Error::InvalidHeader`] when a
    /// [`ClientBuilder::default_header`] cannot be sent.
    pub fn build(self) -> Result<C, Error> {
        let service = C::SERVICE;
        self.default_headers.check()?;
        let endpoint = endpoint::resolve(
            service,
            self.endpoint.as_deref(),
            self.region.as_deref(),
            self.domain.as_deref(),
            self.env.as_deref().map(|env| env as &Env),
        )?;
        let credentials = self.credentials.ok_or_else(|| {
            Error::Config(
                "no credentials: call .credentials(..) or set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK"
                    .to_string(),
            )
        })?;
        if let Some(problem) = credentials.problem() {
            return Err(Error::Config(format!(
                "unusable credentials: {problem} is empty or has characters that cannot be sent in an HTTP header"
            )));
        }
        let project_id = match self.project_id.map(|p| p.trim().to_string()) {
            Some(id) if id.is_empty() || !id.bytes().all(|b| b.is_ascii_graphic()) => {
                return Err(Error::Config(format!(
                    "invalid project ID `{}`: expected a non-empty ID such as 0483b6b16e954cb88930a360d2c4e663",
                    id.escape_debug()
                )));
            }
            other => other,
        };
        let http = reqwest::Client::builder()
            .use_rustls_tls()
            .connect_timeout(self.connect_timeout)
            .user_agent(self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT))
            // A redirect would carry the token (or a signature made for another host) elsewhere;
            // 3xx responses are returned to the caller instead.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        let inner = Inner {
            service,
            endpoint,
            region: self.region.map(|r| r.trim().to_string()),
            project_id,
            credentials,
            retry: self.retry,
            timeout: self.timeout,
            max_response_bytes: self.max_response_bytes,
            default_headers: self.default_headers,
            http,
        };
        Ok(C::from_handle(Handle::new(Arc::new(inner))))
    }
}
