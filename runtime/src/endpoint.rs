//! Where a client sends its requests: an explicit endpoint, the region's documented host, or the
//! service's host pattern, checked once when the client is built.

use super::client::ServiceDescriptor;
use super::credentials::Env;
use super::error::Error;

/// A resolved and validated base URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Endpoint {
    /// Scheme, host, port and path prefix, without a trailing `/` (`https://host`,
    /// `http://127.0.0.1:8080`, `https://proxy/prefix`). Operation paths are appended to it.
    pub(crate) base_url: String,
    /// The same, parsed: each request's URL starts as a copy of it.
    pub(crate) url: reqwest::Url,
    /// The `Host` header the HTTP client will send for it (port included unless default),
    /// which AK/SK signatures cover.
    pub(crate) host: String,
}

/// The prefix of the environment variables that override a service's endpoint in a region.
const ENV_REGION_ENDPOINT_PREFIX: &str = "HUAWEICLOUD_SDK_REGION_";

/// The environment variable that overrides `service`'s endpoint in `region`, named as Huawei
/// Cloud's official SDKs name it: `HUAWEICLOUD_SDK_REGION_<SERVICE>_<REGION>`, the service's
/// endpoint label (`gaussdb`, `dws`) and the region ID upper-cased, `-` written `_`
/// (`HUAWEICLOUD_SDK_REGION_GAUSSDB_CN_NORTH_4`).
pub(crate) fn region_endpoint_variable(service: &ServiceDescriptor, region: &str) -> String {
    let upper = |s: &str| s.to_ascii_uppercase().replace('-', "_");
    format!(
        "{ENV_REGION_ENDPOINT_PREFIX}{}_{}",
        upper(service.endpoint_service),
        upper(region)
    )
}

/// The endpoint override, else (when an environment `env` is given) the region's variable
/// [`region_endpoint_variable`], else the region's host in the service's table, else the
/// service's host pattern filled with `{service}`, `{region}` and `{domain}`.
pub(crate) fn resolve(
    service: &ServiceDescriptor,
    endpoint: Option<&str>,
    region: Option<&str>,
    domain: Option<&str>,
    env: Option<&Env>,
) -> Result<Endpoint, Error> {
    if let Some(endpoint) = endpoint {
        return explicit(endpoint);
    }
    let region = region.map(str::trim).ok_or_else(|| {
        Error::Config(format!(
            "no region or endpoint for {}: call .region(..) or .endpoint(..), or set HUAWEICLOUD_SDK_REGION",
            service.name
        ))
    })?;
    // The region becomes part of a host name; anything else could redirect the request.
    if region.is_empty()
        || !region
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(Error::Config(format!(
            "invalid region `{region}`: a region ID has only letters, digits and `-`"
        )));
    }
    if let Some(env) = env {
        let variable = region_endpoint_variable(service, region);
        // The official SDKs take a comma-separated list and fail over between its endpoints; a
        // client here has one endpoint, the first.
        let first = env(&variable).and_then(|value| {
            value
                .split(',')
                .map(str::trim)
                .find(|url| !url.is_empty())
                .map(str::to_string)
        });
        if let Some(url) = first {
            return explicit(&url).map_err(|e| match e {
                Error::Config(message) => Error::Config(format!("{variable}: {message}")),
                other => other,
            });
        }
    }
    if let Some(known) = service.endpoints.iter().find(|e| e.region == region) {
        return parse(&format!("https://{}", known.host));
    }
    let known_regions = || {
        let names: Vec<&str> = service.endpoints.iter().map(|e| e.region).collect();
        if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        }
    };
    let pattern = service.endpoint_pattern.ok_or_else(|| {
        Error::Config(format!(
            "unknown region `{region}` for {}; known regions: {}; or give .endpoint(..)",
            service.name,
            known_regions()
        ))
    })?;
    let domain = domain
        .map(str::trim)
        .or(service.default_domain)
        .ok_or_else(|| {
            Error::Config(format!(
                "region `{region}` is not in the endpoint table of {} (known regions: {}) and there is no default domain: give .domain(..) or .endpoint(..)",
                service.name,
                known_regions()
            ))
        })?;
    if domain.is_empty()
        || !domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
    {
        return Err(Error::Config(format!(
            "invalid domain `{domain}`: expected a DNS name such as myhuaweicloud.com"
        )));
    }
    let host = pattern
        .replace("{service}", service.endpoint_service)
        .replace("{region}", region)
        .replace("{domain}", domain);
    parse(&format!("https://{host}"))
}

/// An endpoint given in full: a base URL, or a bare host (`gaussdb.example.com`,
/// `10.0.0.1:8443`), which means HTTPS.
fn explicit(endpoint: &str) -> Result<Endpoint, Error> {
    let endpoint = endpoint.trim();
    if endpoint.contains("://") {
        parse(endpoint)
    } else {
        parse(&format!("https://{endpoint}"))
    }
}

/// Checks a base URL and splits out what requests need from it.
fn parse(url: &str) -> Result<Endpoint, Error> {
    // The parser's message does not repeat the input, which might hold a password.
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| Error::Config(format!("invalid endpoint URL: {e}")))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Error::Config(
            "the endpoint URL must not contain a user name or password".to_string(),
        ));
    }
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(Error::Config(format!(
            "endpoint `{url}`: the scheme must be http or https"
        )));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::Config(format!(
            "endpoint `{url}` must not have a query or a fragment"
        )));
    }
    let host = parsed
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| Error::Config(format!("endpoint `{url}` has no host")))?;
    // `port()` is `None` for the scheme's default port, exactly when the HTTP client leaves it
    // out of `Host`.
    let host = match parsed.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    };
    Ok(Endpoint {
        base_url: parsed.as_str().trim_end_matches('/').to_string(),
        host,
        url: parsed,
    })
}

#[cfg(test)]
mod tests {
    use super::super::client::RegionEndpoint;
    use super::*;

    static SERVICE: ServiceDescriptor = ServiceDescriptor {
        name: "demo",
        endpoint_service: "demo-svc",
        endpoints: &[RegionEndpoint {
            region: "cn-north-4",
            name: "CN North-Beijing4",
            host: "demo.cn-north-4.example.com",
        }],
        endpoint_pattern: Some("{service}.{region}.{domain}"),
        default_domain: Some("myhuaweicloud.com"),
    };

    #[test]
    fn bare_hosts_get_https_and_ports_are_kept() {
        let e = resolve(&SERVICE, Some("10.0.0.1:8443"), None, None, None)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(e.base_url, "https://10.0.0.1:8443");
        assert_eq!(e.host, "10.0.0.1:8443");
        let e = resolve(
            &SERVICE,
            Some("https://h.example.com:443/prefix/"),
            None,
            None,
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(e.base_url, "https://h.example.com/prefix");
        assert_eq!(e.host, "h.example.com");
    }

    #[test]
    fn bad_endpoints_and_regions_are_configuration_errors() {
        for endpoint in [
            "ftp://h",
            "http://user:secret-password@h",
            "http://h/?q=1",
            "http://",
            "http://h:99999",
        ] {
            match resolve(&SERVICE, Some(endpoint), None, None, None) {
                Err(Error::Config(message)) => assert!(!message.contains("secret-password")),
                other => panic!("{endpoint}: {other:?}"),
            }
        }
        for region in ["", "cn-north-4/../x", "a.b", "evil.com#"] {
            assert!(matches!(
                resolve(&SERVICE, None, Some(region), None, None),
                Err(Error::Config(_))
            ));
        }
        assert!(matches!(
            resolve(&SERVICE, None, Some("xx-1"), Some("evil.com/path"), None),
            Err(Error::Config(_))
        ));
        assert!(matches!(
            resolve(&SERVICE, None, None, None, None),
            Err(Error::Config(_))
        ));
    }

    #[test]
    fn the_region_variable_is_named_like_the_official_sdks() {
        assert_eq!(
            region_endpoint_variable(&SERVICE, "cn-north-4"),
            "HUAWEICLOUD_SDK_REGION_DEMO_SVC_CN_NORTH_4"
        );
    }

    #[test]
    fn the_environment_overrides_the_region_table_but_not_an_explicit_endpoint() {
        let env = |name: &str| match name {
            "HUAWEICLOUD_SDK_REGION_DEMO_SVC_CN_NORTH_4" => {
                Some(" https://private.example.com/db , https://second.example.com".to_string())
            }
            "HUAWEICLOUD_SDK_REGION_DEMO_SVC_XX_9" => Some("db.xx-9.internal:8443".to_string()),
            "HUAWEICLOUD_SDK_REGION_DEMO_SVC_XX_BLANK" => Some(" , ".to_string()),
            "HUAWEICLOUD_SDK_REGION_DEMO_SVC_XX_BAD" => Some("ftp://h".to_string()),
            _ => None,
        };
        let resolved = |endpoint, region| {
            resolve(&SERVICE, endpoint, Some(region), None, Some(&env))
                .map(|e| e.base_url)
                .unwrap_or_else(|e| e.to_string())
        };
        assert_eq!(
            resolved(None, "cn-north-4"),
            "https://private.example.com/db"
        );
        assert_eq!(resolved(None, "xx-9"), "https://db.xx-9.internal:8443");
        // Unset or blank: the table, then the pattern.
        assert_eq!(
            resolved(None, "ap-southeast-1"),
            "https://demo-svc.ap-southeast-1.myhuaweicloud.com"
        );
        assert_eq!(
            resolved(None, "xx-blank"),
            "https://demo-svc.xx-blank.myhuaweicloud.com"
        );
        assert_eq!(
            resolved(Some("http://127.0.0.1:9"), "cn-north-4"),
            "http://127.0.0.1:9"
        );
        let bad = resolved(None, "xx-bad");
        assert!(
            bad.contains("HUAWEICLOUD_SDK_REGION_DEMO_SVC_XX_BAD") && bad.contains("scheme"),
            "{bad}"
        );
        // Without an environment the table decides.
        assert_eq!(
            resolve(&SERVICE, None, Some("cn-north-4"), None, None)
                .ok()
                .map(|e| e.base_url)
                .as_deref(),
            Some("https://demo.cn-north-4.example.com")
        );
    }
}
