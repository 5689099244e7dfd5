//! AK/SK request signing, Huawei Cloud's `SDK-HMAC-SHA256` scheme.
//!
//! The canonical request is six lines: method, canonical URI, canonical query, canonical headers,
//! signed header names and the body's SHA-256; the signature is HMAC-SHA256 keyed with the SK over
//! `SDK-HMAC-SHA256\n<X-Sdk-Date>\n<hex sha256 of the canonical request>`. The functions are public
//! so that a server (such as a mock) can verify signatures with the same code.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use std::time::{SystemTime, UNIX_EPOCH};

/// The algorithm name that starts the `Authorization` header and the string to sign.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";
/// Header carrying the signing time, `yyyyMMddTHHmmssZ` in UTC.
pub const DATE_HEADER: &str = "X-Sdk-Date";
/// Header that, set to [`UNSIGNED_PAYLOAD`], leaves the body out of the signature.
pub const CONTENT_SHA256_HEADER: &str = "X-Sdk-Content-Sha256";
/// The payload hash used for bodies that are neither JSON nor BSON.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// The parts of an HTTP request that a signature covers.
#[derive(Debug, Clone, Copy)]
pub struct SignableRequest<'a> {
    /// HTTP method, any case.
    pub method: &'a str,
    /// The path as sent (percent-encoded), without the query.
    pub path: &'a str,
    /// Query parameters, decoded, in any order; repeated names allowed.
    pub query: &'a [(String, String)],
    /// Request headers, names in any case. Must include `X-Sdk-Date`, and `Host` if it is signed.
    pub headers: &'a [(String, String)],
    /// The body bytes (empty when there is none).
    pub body: &'a [u8],
}

/// Why a signature could not be made or did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The request has no `Authorization` header.
    #[error("the request has no Authorization header")]
    MissingAuthorization,
    /// The `Authorization` header is not `SDK-HMAC-SHA256 Access=.., SignedHeaders=.., Signature=..`.
    #[error("malformed Authorization header: {0}")]
    Malformed(String),
    /// A header the signature needs is absent.
    #[error("the request has no {0} header")]
    MissingHeader(String),
    /// The access key is not the one expected.
    #[error("unknown access key {0}")]
    UnknownAccessKey(String),
    /// The signature does not match the request.
    #[error("the signature does not match the request")]
    BadSignature,
}

/// Percent-encodes every byte but `A-Z a-z 0-9 - _ . ~`, with upper-case hex.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Undoes percent-encoding; malformed escapes are kept as they are.
fn decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(value)) => {
                out.push(value);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

/// Each segment of the decoded path encoded again, and a trailing `/` added.
pub fn canonical_uri(path: &str) -> String {
    let mut uri: String = path
        .split('/')
        .map(|segment| encode(&String::from_utf8_lossy(&decode(segment))))
        .collect::<Vec<_>>()
        .join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// Names and values encoded, sorted by name then value, joined as `name=value&...`.
pub fn canonical_query(params: &[(String, String)]) -> String {
    let mut encoded: Vec<(String, String)> =
        params.iter().map(|(k, v)| (encode(k), encode(v))).collect();
    encoded.sort();
    encoded
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn header_value<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The six-line canonical request. `signed_headers` are lower-case names, sorted.
pub fn canonical_request(
    request: &SignableRequest<'_>,
    signed_headers: &[String],
    payload_hash: &str,
) -> Result<String, SignatureError> {
    let mut headers = String::new();
    for name in signed_headers {
        let value = header_value(request.headers, name)
            .ok_or_else(|| SignatureError::MissingHeader(name.clone()))?;
        headers.push_str(&format!("{name}:{}\n", value.trim()));
    }
    Ok(format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        request.method.to_ascii_uppercase(),
        canonical_uri(request.path),
        canonical_query(request.query),
        headers,
        signed_headers.join(";"),
        payload_hash
    ))
}

/// The lower-case hex SHA-256 of the body, or [`UNSIGNED_PAYLOAD`] when the request says so.
pub fn payload_hash(request: &SignableRequest<'_>) -> String {
    match header_value(request.headers, CONTENT_SHA256_HEADER) {
        Some(value) if value == UNSIGNED_PAYLOAD => UNSIGNED_PAYLOAD.to_string(),
        _ => hex(&Sha256::digest(request.body)),
    }
}

/// `SDK-HMAC-SHA256\n<date>\n<hex sha256 of the canonical request>`.
pub fn string_to_sign(date: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{date}\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes()))
    )
}

/// Lower-case hex HMAC-SHA256 of `string_to_sign` keyed with the secret key.
pub fn signature(sk: &str, string_to_sign: &str) -> String {
    hex(&mac(sk, string_to_sign).finalize().into_bytes())
}

fn mac(sk: &str, message: &str) -> Hmac<Sha256> {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(sk.as_bytes()).unwrap_or_else(|_| unreachable!());
    mac.update(message.as_bytes());
    mac
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Lower-cased, sorted, without names containing `_` (which are never signed).
fn normalize_signed_headers(names: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = names
        .iter()
        .map(|n| n.to_ascii_lowercase())
        .filter(|n| !n.contains('_'))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The `Authorization` header value for `request`, signing the headers named in `signed_headers`.
pub fn sign(
    request: &SignableRequest<'_>,
    signed_headers: &[&str],
    ak: &str,
    sk: &str,
) -> Result<String, SignatureError> {
    let signed = normalize_signed_headers(signed_headers);
    let date = header_value(request.headers, DATE_HEADER)
        .ok_or_else(|| SignatureError::MissingHeader(DATE_HEADER.into()))?;
    let canonical = canonical_request(request, &signed, &payload_hash(request))?;
    let signature = signature(sk, &string_to_sign(date, &canonical));
    Ok(format!(
        "{ALGORITHM} Access={ak}, SignedHeaders={}, Signature={signature}",
        signed.join(";")
    ))
}

/// Checks the request's `Authorization` header against the expected key pair, as the API gateway
/// does. The signing time is not checked against the clock.
pub fn verify(request: &SignableRequest<'_>, ak: &str, sk: &str) -> Result<(), SignatureError> {
    let header = header_value(request.headers, "Authorization")
        .ok_or(SignatureError::MissingAuthorization)?;
    let parsed = parse_authorization(header)?;
    if parsed.access != ak {
        return Err(SignatureError::UnknownAccessKey(parsed.access.to_string()));
    }
    let signed: Vec<String> = parsed
        .signed_headers
        .split(';')
        .map(str::to_string)
        .collect();
    let date = header_value(request.headers, DATE_HEADER)
        .ok_or_else(|| SignatureError::MissingHeader(DATE_HEADER.into()))?;
    let canonical = canonical_request(request, &signed, &payload_hash(request))?;
    let expected = decode_hex(parsed.signature).ok_or(SignatureError::BadSignature)?;
    // `verify_slice` compares in constant time.
    mac(sk, &string_to_sign(date, &canonical))
        .verify_slice(&expected)
        .map_err(|_| SignatureError::BadSignature)
}

struct Authorization<'a> {
    access: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

fn parse_authorization(header: &str) -> Result<Authorization<'_>, SignatureError> {
    let malformed = |why: &str| SignatureError::Malformed(why.to_string());
    let rest = header
        .strip_prefix(ALGORITHM)
        .and_then(|r| r.strip_prefix(' '))
        .ok_or_else(|| malformed("it does not start with SDK-HMAC-SHA256"))?;
    let (mut access, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        match part.trim().split_once('=') {
            Some(("Access", v)) => access = Some(v),
            Some(("SignedHeaders", v)) => signed_headers = Some(v),
            Some(("Signature", v)) => signature = Some(v),
            _ => return Err(malformed("unexpected part")),
        }
    }
    Ok(Authorization {
        access: access.ok_or_else(|| malformed("no Access"))?,
        signed_headers: signed_headers
            .filter(|s| !s.is_empty())
            .ok_or_else(|| malformed("no SignedHeaders"))?,
        signature: signature.ok_or_else(|| malformed("no Signature"))?,
    })
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect()
}

/// `yyyyMMddTHHmmssZ` in UTC, the format of `X-Sdk-Date`.
pub fn format_sdk_date(time: SystemTime) -> String {
    let seconds = time
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Days since 1970-01-01 to (year, month, day), after Howard Hinnant's `civil_from_days`.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}
