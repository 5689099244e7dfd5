//! AK/SK request signing: Huawei Cloud's `SDK-HMAC-SHA256` scheme.
//!
//! The canonical request is six lines: method, canonical URI, canonical query, canonical headers,
//! signed header names and the body's SHA-256. The signature is the lower-case hex HMAC-SHA256,
//! keyed with the SK, of `SDK-HMAC-SHA256\n<X-Sdk-Date>\n<hex SHA-256 of the canonical request>`.
//!
//! Everything here is public so that a server (a mock, a test) checks signatures with the very
//! code that makes them: [`verify`] is [`sign`] run backwards.

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
    /// Request headers, names in any case. Must include `X-Sdk-Date`, and every signed header.
    pub headers: &'a [(String, String)],
    /// The body bytes (empty when there is none).
    pub body: &'a [u8],
}

/// Why a request could not be signed, or why its signature was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignatureError {
    /// The request has no `Authorization` header.
    #[error("the request has no Authorization header")]
    MissingAuthorization,
    /// The `Authorization` header is not `SDK-HMAC-SHA256 Access=.., SignedHeaders=.., Signature=..`.
    #[error("malformed Authorization header: {0}")]
    Malformed(String),
    /// A header the signature covers (or `X-Sdk-Date`) is absent from the request.
    #[error("the request has no {0} header")]
    MissingHeader(String),
    /// The request was signed with another access key than the one expected.
    #[error("unknown access key {0}")]
    UnknownAccessKey(String),
    /// The signature does not match the request.
    #[error("the signature does not match the request")]
    BadSignature,
    /// The request's `X-Sdk-Date` is further from the server's clock than [`MAX_CLOCK_SKEW`]:
    /// a replay, or a client whose clock is off.
    #[error(
        "the request was signed at {signed_at}, {skew_secs} s away from the server's clock (at most {} s are allowed): check the clock of the machine that signs",
        MAX_CLOCK_SKEW.as_secs()
    )]
    ClockSkew {
        /// The `X-Sdk-Date` sent.
        signed_at: String,
        /// How far it is from the server's clock, in seconds.
        skew_secs: u64,
    },
    /// The secret key could not key HMAC-SHA256. HMAC takes keys of any length, so this only
    /// exists to avoid a panic path.
    #[error("the secret key cannot be used as an HMAC key")]
    InvalidKey,
}

/// Percent-encodes every byte but `A-Z a-z 0-9 - _ . ~`, with upper-case hex: the encoding of
/// path segments, query names and query values in the canonical request.
pub fn encode(s: &str) -> String {
    encode_bytes(s.as_bytes())
}

fn encode_bytes(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let unreserved =
        |byte: u8| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~');
    // Ids, names and numbers, what most segments and values are, need no escape: one copy.
    let plain = bytes.iter().take_while(|&&byte| unreserved(byte)).count();
    let mut out = String::with_capacity(bytes.len() + (bytes.len() - plain) * 2);
    // The plain prefix is ASCII.
    out.push_str(std::str::from_utf8(&bytes[..plain]).unwrap_or_default());
    for &byte in &bytes[plain..] {
        if unreserved(byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0F)]));
        }
    }
    out
}

/// Undoes percent-encoding; malformed escapes are kept as they are (a server must not fail on
/// them, and a signer never produces them). A `+` stays a `+`: that is right for a path segment;
/// [`decode_query`] reads it in a query.
pub(crate) fn decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some((&first, tail)) = rest.split_first() {
        let escaped = match (first, tail) {
            (b'%', [high, low, ..]) => hex_digit(*high).zip(hex_digit(*low)),
            _ => None,
        };
        match escaped {
            Some((high, low)) => {
                out.push(high << 4 | low);
                rest = tail.get(2..).unwrap_or_default();
            }
            None => {
                out.push(first);
                rest = tail;
            }
        }
    }
    out
}

fn hex_digit(byte: u8) -> Option<u8> {
    char::from(byte)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// Splits a raw query string (`a=1&b=x%20y`, without `?`) into decoded name/value pairs, in
/// order: what a server passes as [`SignableRequest::query`], and what the mock hands its
/// handlers.
///
/// A literal `+` is a space, as in every query the form encoding made (`a=b+c` is `b c`), and as
/// the gateway's reference signers read it (Go's `URL.Query()`, Java's `URLDecoder`): a foreign
/// signer that sends `a=b+c` signs `a=b%20c`. A `+` meant as a plus is sent as `%2B`, which is
/// what [`encode`], and so this crate's client, sends.
pub fn decode_query(raw: &str) -> Vec<(String, String)> {
    let decode =
        |text: &str| String::from_utf8_lossy(&decode(&text.replace('+', " "))).into_owned();
    raw.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// The canonical URI: each segment of the path decoded, then encoded with [`encode`], and a
/// trailing `/` added. Decoding first makes an encoded and an unencoded path sign alike, so the
/// client (which signs the path it builds) and a server (which sees the path on the wire) agree.
pub fn canonical_uri(path: &str) -> String {
    let mut uri = path
        .split('/')
        .map(|segment| encode_bytes(&decode(segment)))
        .collect::<Vec<_>>()
        .join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// The canonical query: names and values encoded, sorted by encoded name then encoded value,
/// joined as `name=value&...` (a repeated name repeats the key); empty without parameters.
pub fn canonical_query(params: &[(String, String)]) -> String {
    let mut encoded: Vec<(String, String)> = params
        .iter()
        .map(|(name, value)| (encode(name), encode(value)))
        .collect();
    encoded.sort();
    encoded
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// The first value of a header, by case-insensitive name.
fn header_value<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Lower-cased, sorted and deduplicated, without names containing `_` (never signed, because
/// proxies may drop such headers).
fn normalize_signed_headers(names: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = names
        .iter()
        .map(|name| name.trim().to_ascii_lowercase())
        .filter(|name| !name.is_empty() && !name.contains('_'))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The six-line canonical request.
///
/// `path` is the path as sent (percent-encoded or not), `query` the decoded parameters,
/// `signed_headers` the names to sign in any case and order (names with `_` are dropped, as the
/// scheme requires). A signed header absent from `headers` is canonicalized with an empty value,
/// as the reference signers do; [`sign`] and [`verify`] reject such requests before getting here.
pub fn canonical_request(
    method: &str,
    path: &str,
    query: &[(String, String)],
    headers: &[(String, String)],
    signed_headers: &[&str],
    payload_hash: &str,
) -> String {
    let signed = normalize_signed_headers(signed_headers);
    let mut canonical_headers = String::new();
    for name in &signed {
        let value = header_value(headers, name).unwrap_or_default();
        canonical_headers.push_str(name);
        canonical_headers.push(':');
        canonical_headers.push_str(value.trim());
        canonical_headers.push('\n');
    }
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        method.to_ascii_uppercase(),
        canonical_uri(path),
        canonical_query(query),
        canonical_headers,
        signed.join(";"),
        payload_hash
    )
}

/// The lower-case hex SHA-256 of the body, or [`UNSIGNED_PAYLOAD`] when the request carries
/// `X-Sdk-Content-Sha256: UNSIGNED-PAYLOAD`.
pub fn payload_hash(request: &SignableRequest<'_>) -> String {
    match header_value(request.headers, CONTENT_SHA256_HEADER) {
        Some(value) if value.trim() == UNSIGNED_PAYLOAD => UNSIGNED_PAYLOAD.to_string(),
        _ => hex(&Sha256::digest(request.body)),
    }
}

/// `SDK-HMAC-SHA256\n<date>\n<hex SHA-256 of the canonical request>`.
pub fn string_to_sign(date: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{date}\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes()))
    )
}

/// HMAC-SHA256 keyed with the SK, fed with `message`, not yet finalized.
fn mac(sk: &str, message: &str) -> Result<Hmac<Sha256>, SignatureError> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(sk.as_bytes())
        .map_err(|_| SignatureError::InvalidKey)?;
    mac.update(message.as_bytes());
    Ok(mac)
}

fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|b| [HEX[usize::from(b >> 4)], HEX[usize::from(b & 0x0F)]])
        .map(char::from)
        .collect()
}

/// The request's `X-Sdk-Date`, trimmed, after checking that it and every header in `signed` are
/// present: a signature over a header the other side does not see can never verify.
fn signing_date<'h>(
    headers: &'h [(String, String)],
    signed: &[String],
) -> Result<&'h str, SignatureError> {
    let date = header_value(headers, DATE_HEADER)
        .ok_or_else(|| SignatureError::MissingHeader(DATE_HEADER.to_string()))?;
    if let Some(missing) = signed
        .iter()
        .find(|name| header_value(headers, name).is_none())
    {
        return Err(SignatureError::MissingHeader(missing.clone()));
    }
    Ok(date.trim())
}

/// The string to sign of `request` over `signed` (already normalized), signed at `date`.
fn request_string_to_sign(request: &SignableRequest<'_>, signed: &[String], date: &str) -> String {
    let names: Vec<&str> = signed.iter().map(String::as_str).collect();
    let canonical = canonical_request(
        request.method,
        request.path,
        request.query,
        request.headers,
        &names,
        &payload_hash(request),
    );
    string_to_sign(date, &canonical)
}

/// The `Authorization` header value for `request`, signing the headers named in
/// `signed_headers` (any case and order; names with `_` are left out):
/// `SDK-HMAC-SHA256 Access=<ak>, SignedHeaders=<h1;h2>, Signature=<hex>`.
///
/// Fails when `X-Sdk-Date` or a signed header is missing from the request, since a signature
/// over a header the server will not see can never verify.
pub fn sign(
    request: &SignableRequest<'_>,
    signed_headers: &[&str],
    ak: &str,
    sk: &str,
) -> Result<String, SignatureError> {
    let signed = normalize_signed_headers(signed_headers);
    let date = signing_date(request.headers, &signed)?;
    let signature = hex(&mac(sk, &request_string_to_sign(request, &signed, date))?
        .finalize()
        .into_bytes());
    Ok(format!(
        "{ALGORITHM} Access={ak}, SignedHeaders={}, Signature={signature}",
        signed.join(";")
    ))
}

/// Checks the request's `Authorization` header against the key pair `ak`/`sk`, as the API
/// gateway does: the access key must be `ak` and the signature must match the request over the
/// headers it names. The signing time is not compared with the clock (a mock's requests may be
/// replayed on purpose); [`verify_fresh`] does that.
///
/// It is [`verify_headers`] followed by [`PendingSignature::verify`]; a server that must not read
/// the body of a request it will refuse calls the two itself, around reading the body.
pub fn verify(request: &SignableRequest<'_>, ak: &str, sk: &str) -> Result<(), SignatureError> {
    verify_headers(request.headers, ak)?.verify(request, sk)
}

/// The checks of [`verify`] that need only the request's headers: the `Authorization` header
/// parses, names the access key `ak` and lists its signed headers as a signer writes them, and
/// `X-Sdk-Date` and every signed header are present. What is left, the signature itself (which
/// covers the body), is checked by [`PendingSignature::verify`].
pub fn verify_headers(
    headers: &[(String, String)],
    ak: &str,
) -> Result<PendingSignature, SignatureError> {
    let header =
        header_value(headers, "Authorization").ok_or(SignatureError::MissingAuthorization)?;
    let parsed = parse_authorization(header)?;
    if parsed.access != ak {
        return Err(SignatureError::UnknownAccessKey(parsed.access.to_string()));
    }
    let names: Vec<&str> = parsed.signed_headers.split(';').collect();
    let signed = normalize_signed_headers(&names);
    if signed.join(";") != parsed.signed_headers {
        // The signer would have written them lower-cased and sorted; anything else was not
        // made by a conforming signer and would canonicalize differently.
        return Err(SignatureError::Malformed(
            "SignedHeaders is not a sorted, lower-case list".to_string(),
        ));
    }
    signing_date(headers, &signed)?;
    let signature = decode_hex(parsed.signature).ok_or(SignatureError::BadSignature)?;
    Ok(PendingSignature { signed, signature })
}

/// A request whose headers passed [`verify_headers`]: the signature still has to match the
/// whole request, body included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSignature {
    /// The signed header names, normalized.
    signed: Vec<String>,
    /// The signature, decoded from hex.
    signature: Vec<u8>,
}

impl PendingSignature {
    /// Checks that the signature matches `request`, whose headers are the ones given to
    /// [`verify_headers`] (or [`verify_fresh_headers`]), keyed with `sk`.
    pub fn verify(&self, request: &SignableRequest<'_>, sk: &str) -> Result<(), SignatureError> {
        let date = signing_date(request.headers, &self.signed)?;
        // `verify_slice` compares in constant time, so the check leaks nothing about the signature.
        mac(sk, &request_string_to_sign(request, &self.signed, date))?
            .verify_slice(&self.signature)
            .map_err(|_| SignatureError::BadSignature)
    }
}

/// The three parts of an `Authorization` header.
struct Authorization<'a> {
    access: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

fn parse_authorization(header: &str) -> Result<Authorization<'_>, SignatureError> {
    let malformed = |why: &str| SignatureError::Malformed(why.to_string());
    let rest = header
        .trim()
        .strip_prefix(ALGORITHM)
        .and_then(|rest| rest.strip_prefix(' '))
        .ok_or_else(|| malformed("it does not start with SDK-HMAC-SHA256"))?;
    let (mut access, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let slot = match part.trim().split_once('=') {
            Some(("Access", value)) => (&mut access, value),
            Some(("SignedHeaders", value)) => (&mut signed_headers, value),
            Some(("Signature", value)) => (&mut signature, value),
            _ => return Err(malformed("expected Access, SignedHeaders and Signature")),
        };
        if slot.0.replace(slot.1.trim()).is_some() {
            return Err(malformed("a part is repeated"));
        }
    }
    Ok(Authorization {
        access: present(access, "Access")?,
        signed_headers: present(signed_headers, "SignedHeaders")?,
        signature: present(signature, "Signature")?,
    })
}

/// A part's value, required to be there and not empty.
fn present<'a>(value: Option<&'a str>, name: &str) -> Result<&'a str, SignatureError> {
    value
        .filter(|v| !v.is_empty())
        .ok_or_else(|| SignatureError::Malformed(format!("no {name}")))
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if bytes.len() % 2 != 0 {
        return None;
    }
    bytes
        .chunks_exact(2)
        .map(|pair| match pair {
            [high, low] => Some(hex_digit(*high)? << 4 | hex_digit(*low)?),
            _ => None,
        })
        .collect()
}

/// `yyyyMMddTHHmmssZ` in UTC, the format of `X-Sdk-Date`. Times before 1970 (a broken clock)
/// format as the epoch rather than failing.
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

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar, after
/// Howard Hinnant's `civil_from_days` (exact, no tables, no chrono).
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

/// The moment an `X-Sdk-Date` names; `None` if it is not `yyyyMMddTHHmmssZ`.
pub fn parse_sdk_date(text: &str) -> Option<SystemTime> {
    let b = text.trim().as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u64> {
        std::str::from_utf8(&b[r]).ok()?.parse().ok()
    };
    let (year, month, day) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (hour, minute, second) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1970..=9999).contains(&year)
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second;
    Some(UNIX_EPOCH + std::time::Duration::from_secs(seconds))
}

/// The inverse of [`civil_from_days`], after the same source.
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// How far a signed request's `X-Sdk-Date` may be from the server's clock: the API gateway
/// refuses more than about 15 minutes (`../shared/signing.md`), which also bounds replays.
pub const MAX_CLOCK_SKEW: std::time::Duration = std::time::Duration::from_secs(15 * 60);

/// [`verify`], and that the request's `X-Sdk-Date` is within [`MAX_CLOCK_SKEW`] of `now`, as the
/// API gateway checks: an old signature is refused even when it is correct. The date is checked
/// before the signature, with the headers ([`verify_fresh_headers`]).
pub fn verify_fresh(
    request: &SignableRequest<'_>,
    ak: &str,
    sk: &str,
    now: SystemTime,
) -> Result<(), SignatureError> {
    verify_fresh_headers(request.headers, ak, now)?.verify(request, sk)
}

/// [`verify_headers`], and then [`check_sdk_date`]: everything [`verify_fresh`] checks that can
/// be checked before the body is read.
pub fn verify_fresh_headers(
    headers: &[(String, String)],
    ak: &str,
    now: SystemTime,
) -> Result<PendingSignature, SignatureError> {
    let pending = verify_headers(headers, ak)?;
    check_sdk_date(header_value(headers, DATE_HEADER).unwrap_or(""), now)?;
    Ok(pending)
}

/// Checks that a request's `X-Sdk-Date` is within [`MAX_CLOCK_SKEW`] of `now`.
pub fn check_sdk_date(date: &str, now: SystemTime) -> Result<(), SignatureError> {
    let signed_at = parse_sdk_date(date).ok_or_else(|| {
        SignatureError::Malformed(format!("X-Sdk-Date `{date}` is not yyyyMMddTHHmmssZ"))
    })?;
    let skew = now
        .duration_since(signed_at)
        .or_else(|_| signed_at.duration_since(now))
        .unwrap_or_default();
    if skew > MAX_CLOCK_SKEW {
        return Err(SignatureError::ClockSkew {
            signed_at: date.trim().to_string(),
            skew_secs: skew.as_secs(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdk_dates_round_trip_and_skew_is_bounded() {
        let now = UNIX_EPOCH + std::time::Duration::from_secs(1_591_583_940);
        assert_eq!(format_sdk_date(now), "20200608T023900Z");
        assert_eq!(parse_sdk_date("20200608T023900Z"), Some(now));
        assert_eq!(parse_sdk_date("20200230T023900"), None);
        assert!(check_sdk_date("20200608T024900Z", now).is_ok());
        let late = check_sdk_date("20200608T003900Z", now).unwrap_err();
        assert!(late.to_string().contains("clock"), "{late}");
        assert!(matches!(
            late,
            SignatureError::ClockSkew {
                skew_secs: 7200,
                ..
            }
        ));
    }
    use std::time::Duration;

    #[test]
    fn decoding_keeps_malformed_escapes() {
        assert_eq!(decode("a%20b%2"), b"a b%2");
        assert_eq!(decode("%zz%"), b"%zz%");
        assert_eq!(decode("%E4%B8%80"), "一".as_bytes());
    }

    #[test]
    fn decode_query_splits_and_decodes() {
        assert_eq!(
            decode_query("a=1&b=x%20y&&flag&a=2&c+d=e+f%2Bg"),
            vec![
                ("a".to_string(), "1".to_string()),
                ("b".to_string(), "x y".to_string()),
                ("flag".to_string(), String::new()),
                ("a".to_string(), "2".to_string()),
                ("c d".to_string(), "e f+g".to_string()),
            ]
        );
    }

    #[test]
    fn a_literal_plus_in_a_query_signs_as_a_space() {
        // What a signer that reads `+` as a space (the gateway's reference signers) signs for
        // `?q=a+b`; and `%2B` stays a plus.
        assert_eq!(canonical_query(&decode_query("q=a+b")), "q=a%20b");
        assert_eq!(canonical_query(&decode_query("q=a%2Bb")), "q=a%2Bb");
    }

    #[test]
    fn dates_across_leap_years_and_centuries() {
        let at = |secs| format_sdk_date(UNIX_EPOCH + Duration::from_secs(secs));
        assert_eq!(at(0), "19700101T000000Z");
        assert_eq!(at(951_782_400), "20000229T000000Z");
        assert_eq!(at(4_107_542_399), "21000228T235959Z");
        assert_eq!(at(4_107_542_400), "21000301T000000Z");
        assert_eq!(
            format_sdk_date(UNIX_EPOCH - Duration::from_secs(1)),
            "19700101T000000Z"
        );
    }

    #[test]
    fn the_header_half_of_verify_needs_no_body() {
        let headers = vec![
            ("Host".to_string(), "example.com".to_string()),
            (DATE_HEADER.to_string(), "20200608T023900Z".to_string()),
        ];
        let request = SignableRequest {
            method: "POST",
            path: "/v3/p/things",
            query: &[],
            headers: &headers,
            body: b"{}",
        };
        let authorization = sign(&request, &["host", "x-sdk-date"], "ak", "sk").unwrap();
        let mut signed = headers.clone();
        signed.push(("Authorization".to_string(), authorization));
        let pending = verify_headers(&signed, "ak").unwrap();
        let request = SignableRequest {
            headers: &signed,
            ..request
        };
        assert_eq!(pending.verify(&request, "sk"), Ok(()));
        let tampered = SignableRequest {
            body: b"{\"x\": 1}",
            ..request
        };
        assert_eq!(
            pending.verify(&tampered, "sk"),
            Err(SignatureError::BadSignature)
        );
        assert_eq!(
            verify_headers(&signed, "other").unwrap_err(),
            SignatureError::UnknownAccessKey("ak".to_string())
        );
        let now = UNIX_EPOCH + Duration::from_secs(1_591_583_940);
        assert!(verify_fresh_headers(&signed, "ak", now).is_ok());
        assert!(matches!(
            verify_fresh_headers(&signed, "ak", now + Duration::from_secs(3600)),
            Err(SignatureError::ClockSkew { .. })
        ));
    }

    #[test]
    fn authorization_parsing_rejects_garbage() {
        for header in [
            "",
            "SDK-HMAC-SHA256",
            "SDK-HMAC-SHA256 Access=a",
            "SDK-HMAC-SHA256 Access=a, SignedHeaders=, Signature=00",
            "SDK-HMAC-SHA256 Access=a, Access=b, SignedHeaders=x, Signature=00",
            "SDK-HMAC-SHA256 Access=a, SignedHeaders=x, Signature=00, Extra=1",
        ] {
            assert!(parse_authorization(header).is_err(), "{header:?}");
        }
        assert_eq!(decode_hex("0g"), None);
        assert_eq!(decode_hex("abc"), None);
        assert_eq!(decode_hex("00ff"), Some(vec![0, 255]));
    }
}
