//! Authenticating one attempt: the token header, or the AK/SK headers and their signature.

use super::credentials::{AkSk, Credentials};
use super::error::Error;
use super::signing::{self, SignableRequest};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::time::SystemTime;

const X_PROJECT_ID: HeaderName = HeaderName::from_static("x-project-id");
const X_AUTH_TOKEN: HeaderName = HeaderName::from_static("x-auth-token");

/// What a signature covers besides the headers, as the request goes on the wire.
pub(crate) struct WireRequest<'a> {
    /// Upper-case method.
    pub(crate) method: &'a str,
    /// The full path as sent (base path prefix included), percent-encoded.
    pub(crate) path: &'a str,
    /// The decoded query parameters.
    pub(crate) query: &'a [(String, String)],
    /// The `Host` header the HTTP client will send.
    pub(crate) host: &'a str,
    /// The body, empty when there is none.
    pub(crate) body: &'a [u8],
}

/// The project a request is for, as `X-Project-Id` sends it.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Project<'a> {
    /// The project the request's path names (the client's or the request's override).
    pub request: Option<&'a str>,
    /// The client's project, for requests whose path names none.
    pub client: Option<&'a str>,
}

/// The headers to send: the request's plus `X-Project-Id` and authentication, the one place both
/// are added.
///
/// The project a path names is always sent as `X-Project-Id`, so it matches the path; with AK/SK
/// credentials the client's project is sent for other requests too, as the gateway needs one.
/// With AK/SK, `X-Sdk-Date` (from `now`, fresh for every attempt so that retries stay within the
/// server's allowed clock skew) and `X-Security-Token` are added as well, and signed together
/// with `Host`, `X-Project-Id` and the `Content-Type` if any. `Host` is left out of the map: the
/// HTTP client derives the same value from the URL.
pub(crate) fn authenticate(
    credentials: &Credentials,
    project: Project<'_>,
    request: &WireRequest<'_>,
    headers: &[(String, String)],
    now: SystemTime,
) -> Result<HeaderMap, Error> {
    match credentials {
        Credentials::Token(token) => {
            // Nothing to sign: straight into the map, under names made at compile time.
            let mut map = header_map(headers)?;
            if let Some(project_id) = project.request {
                map.append(X_PROJECT_ID, header_value(&X_PROJECT_ID, project_id)?);
            }
            map.append(X_AUTH_TOKEN, header_value(&X_AUTH_TOKEN, token)?);
            Ok(map)
        }
        Credentials::AkSk(key) => {
            let project_id = project.request.or(project.client);
            header_map(&signed_headers(key, project_id, request, headers, now)?)
        }
    }
}

/// The request's headers plus `X-Project-Id`, the AK/SK headers and `Authorization`, and `Host`,
/// which the signature covers.
fn signed_headers(
    key: &AkSk,
    project_id: Option<&str>,
    request: &WireRequest<'_>,
    headers: &[(String, String)],
    now: SystemTime,
) -> Result<Vec<(String, String)>, Error> {
    let mut headers = headers.to_vec();
    if let Some(project_id) = project_id {
        headers.push(("X-Project-Id".to_string(), project_id.to_string()));
    }
    let has = |headers: &[(String, String)], name: &str| {
        headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
    };
    headers.push(("Host".to_string(), request.host.to_string()));
    headers.push((
        signing::DATE_HEADER.to_string(),
        signing::format_sdk_date(now),
    ));
    let mut signed = vec!["host", "x-sdk-date"];
    if let Some(token) = key.security_token() {
        headers.push(("X-Security-Token".to_string(), token.to_string()));
    }
    for optional in ["x-project-id", "x-security-token", "content-type"] {
        if has(&headers, optional) {
            signed.push(optional);
        }
    }
    let signable = SignableRequest {
        method: request.method,
        path: request.path,
        query: request.query,
        headers: &headers,
        body: request.body,
    };
    // Only reachable through an HMAC key error, which cannot happen; no secret in the message.
    let authorization = signing::sign(&signable, &signed, key.ak(), key.sk())
        .map_err(|e| Error::Config(format!("cannot sign the request: {e}")))?;
    headers.push(("Authorization".to_string(), authorization));
    Ok(headers)
}

/// The headers as a map, without `Host` (the HTTP client derives the same value from the URL).
/// Invalid names or values fail without echoing the value, which may be a secret.
fn header_map(headers: &[(String, String)]) -> Result<HeaderMap, Error> {
    // Room for the two headers a token adds and the few the HTTP client adds (`user-agent`,
    // `accept`, `content-length`, `host`), so the map is not grown on the way out.
    let mut map = HeaderMap::with_capacity(headers.len() + 8);
    for (name, value) in headers {
        if name.eq_ignore_ascii_case("host") {
            continue;
        }
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Error::Encode(format!("invalid header name `{}`", name.escape_debug())))?;
        let value = header_value(&name, value)?;
        map.append(name, value);
    }
    Ok(map)
}

fn header_value(name: &HeaderName, value: &str) -> Result<HeaderValue, Error> {
    HeaderValue::from_str(value)
        .map_err(|_| Error::Encode(format!("invalid value for header `{name}`")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn value<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    const WIRE: WireRequest<'static> = WireRequest {
        method: "POST",
        path: "/v3/p/x",
        query: &[],
        host: "h.example.com",
        body: b"{}",
    };

    #[test]
    fn ak_sk_headers_are_added_signed_and_verify() {
        let credentials = Credentials::temporary("ak", "sk", "session");
        let now = UNIX_EPOCH + Duration::from_secs(1_591_583_940);
        let request_headers = vec![("Content-Type".to_string(), "application/json".to_string())];
        let Credentials::AkSk(key) = &credentials else {
            panic!("AK/SK credentials")
        };
        let headers = signed_headers(key, Some("p"), &WIRE, &request_headers, now)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(value(&headers, "x-sdk-date"), Some("20200608T023900Z"));
        assert_eq!(value(&headers, "x-project-id"), Some("p"));
        assert_eq!(value(&headers, "x-security-token"), Some("session"));
        let authorization = value(&headers, "authorization").unwrap_or_default();
        assert!(authorization
            .contains("SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token"));
        let signable = SignableRequest {
            method: WIRE.method,
            path: WIRE.path,
            query: WIRE.query,
            headers: &headers,
            body: WIRE.body,
        };
        assert_eq!(signing::verify(&signable, "ak", "sk"), Ok(()));
    }

    #[test]
    fn the_project_a_path_names_wins_and_tokens_are_not_signed() {
        let credentials = Credentials::ak_sk("ak", "sk");
        let project = Project {
            request: Some("other"),
            client: Some("p"),
        };
        let headers = authenticate(&credentials, project, &WIRE, &[], SystemTime::now())
            .unwrap_or_else(|e| panic!("{e}"));
        let projects: Vec<&[u8]> = headers
            .get_all("x-project-id")
            .iter()
            .map(HeaderValue::as_bytes)
            .collect();
        assert_eq!(projects, [b"other"]);
        assert!(headers.contains_key("authorization") && !headers.contains_key("host"));
        let token = |project| {
            let request_headers = [("X-Trace".to_string(), "1".to_string())];
            let map = authenticate(
                &Credentials::token("t"),
                project,
                &WIRE,
                &request_headers,
                SystemTime::now(),
            )
            .unwrap_or_default();
            map.iter()
                .map(|(name, value)| (name.to_string(), value.to_str().unwrap_or("?").to_string()))
                .collect::<Vec<_>>()
        };
        let client_only = Project {
            request: None,
            client: Some("p"),
        };
        let pair = |name: &str, value: &str| (name.to_string(), value.to_string());
        assert_eq!(
            token(client_only),
            [pair("x-trace", "1"), pair("x-auth-token", "t")]
        );
        assert_eq!(
            token(project),
            [
                pair("x-trace", "1"),
                pair("x-project-id", "other"),
                pair("x-auth-token", "t")
            ]
        );
    }

    #[test]
    fn bad_headers_fail_without_their_value() {
        let bad_value = [("X-Token".to_string(), "secret\nvalue".to_string())];
        match header_map(&bad_value) {
            Err(Error::Encode(message)) => assert!(!message.contains("secret"), "{message}"),
            other => panic!("{other:?}"),
        }
        assert!(header_map(&[("bad name".to_string(), "v".to_string())]).is_err());
        let map = header_map(&[
            ("Host".to_string(), "h".to_string()),
            ("X-A".to_string(), "1".to_string()),
        ])
        .unwrap_or_default();
        assert_eq!(map.len(), 1);
    }
}
