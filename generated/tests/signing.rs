//! The AK/SK signer against the known answers of the signing scheme (AK `AccessKey`, SK
//! `SecretKey`), copied here so the tests stand alone.

use huaweicloud_db::runtime::signing::{self, SignableRequest, SignatureError};
use std::time::{Duration, UNIX_EPOCH};

const AK: &str = "AccessKey";
const SK: &str = "SecretKey";

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

fn query(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    headers(pairs)
}

#[test]
fn vector_1_get_signing_host_and_date() {
    let h = headers(&[
        ("Host", "service.endpoint.myhuaweicloud.com"),
        ("X-Sdk-Date", "20200608T023900Z"),
        ("TEST_UNDERSCORE", "TEST_VALUE"),
    ]);
    let q = query(&[("size", "1")]);
    let request = SignableRequest {
        method: "GET",
        path: "/resources",
        query: &q,
        headers: &h,
        body: b"",
    };
    let signed = vec!["host".to_string(), "x-sdk-date".to_string()];
    let canonical = signing::canonical_request(&request, &signed, &signing::payload_hash(&request))
        .expect("canonical");
    assert_eq!(
        canonical,
        "GET\n/resources/\nsize=1\nhost:service.endpoint.myhuaweicloud.com\nx-sdk-date:20200608T023900Z\n\nhost;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    let to_sign = signing::string_to_sign("20200608T023900Z", &canonical);
    assert_eq!(
        to_sign.lines().last(),
        Some("de94dd1e1ccdb730b403ce35d7e14f7c7b04337f6def1c3a3a2ba936852b133f")
    );
    // Names with `_` are never signed, even when asked for.
    let authorization =
        signing::sign(&request, &["host", "x-sdk-date", "test_underscore"], AK, SK).expect("sign");
    assert_eq!(
        authorization,
        "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842"
    );
}

#[test]
fn vector_2_post_with_a_body() {
    let h = headers(&[
        ("Host", "service.endpoint.myhuaweicloud.com"),
        ("X-Sdk-Date", "20200608T023900Z"),
        ("TEST_UNDERSCORE", "TEST_VALUE"),
    ]);
    let q = query(&[("size", "1")]);
    let body = br#"{"name":"test","id":1}"#;
    let request = SignableRequest {
        method: "POST",
        path: "/resources",
        query: &q,
        headers: &h,
        body,
    };
    assert_eq!(
        signing::payload_hash(&request),
        "8ed555081b9961769014bc1182c629bb0fe68d7b01c1fc1caab4dc791f377e8c"
    );
    assert_eq!(
        signing::sign(&request, &["host", "x-sdk-date"], AK, SK).expect("sign"),
        "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f"
    );
}

#[test]
fn vector_3_get_signing_only_the_date() {
    let h = headers(&[
        ("Host", "example.huaweicloud.com"),
        ("X-Sdk-Date", "20060102T150405Z"),
        ("TEST_UNDERSCORE", "x"),
    ]);
    let q = query(&[("limit", "1")]);
    let request = SignableRequest {
        method: "GET",
        path: "/path",
        query: &q,
        headers: &h,
        body: b"",
    };
    assert_eq!(
        signing::sign(&request, &["x-sdk-date"], AK, SK).expect("sign"),
        "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624"
    );
}

#[test]
fn vector_4_post_json_with_a_trailing_newline() {
    let h = headers(&[
        ("Host", "example.huaweicloud.com"),
        ("X-Sdk-Date", "20060102T150405Z"),
        ("Content-Type", "application/json"),
    ]);
    let q = query(&[("key", "value")]);
    let body = b"{\"Name\":\"test\",\"Id\":1}\n";
    let request = SignableRequest {
        method: "POST",
        path: "/path",
        query: &q,
        headers: &h,
        body,
    };
    assert_eq!(
        signing::sign(&request, &["x-sdk-date"], AK, SK).expect("sign"),
        "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59"
    );
}

#[test]
fn canonical_query_known_answer() {
    let q = query(&[
        ("limit", "1"),
        ("enable", "true"),
        ("test", "一 (&=?!#%.*)"),
        ("path", "/tmp/123"),
        ("multi", "1"),
        ("multi", "2"),
        ("multi", "3"),
    ]);
    assert_eq!(
        signing::canonical_query(&q),
        "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29"
    );
}

#[test]
fn canonical_uri_encodes_segments_and_ends_with_a_slash() {
    assert_eq!(
        signing::canonical_uri("/v3/p/instances"),
        "/v3/p/instances/"
    );
    assert_eq!(signing::canonical_uri("/v3/a%20b%2Fc/"), "/v3/a%20b%2Fc/");
    assert_eq!(signing::canonical_uri("/v3/a b"), "/v3/a%20b/");
}

#[test]
fn unsigned_payload_replaces_the_body_hash() {
    let h = headers(&[
        ("X-Sdk-Date", "20060102T150405Z"),
        ("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD"),
    ]);
    let request = SignableRequest {
        method: "PUT",
        path: "/f",
        query: &[],
        headers: &h,
        body: b"binary",
    };
    assert_eq!(signing::payload_hash(&request), "UNSIGNED-PAYLOAD");
}

#[test]
fn verify_accepts_its_own_signature_and_rejects_tampering() {
    let base = headers(&[
        ("Host", "example.huaweicloud.com"),
        ("X-Sdk-Date", "20060102T150405Z"),
    ]);
    let q = query(&[("limit", "1")]);
    let request = SignableRequest {
        method: "GET",
        path: "/path",
        query: &q,
        headers: &base,
        body: b"",
    };
    let authorization = signing::sign(&request, &["host", "x-sdk-date"], AK, SK).expect("sign");
    let mut h = base.clone();
    h.push(("Authorization".into(), authorization));
    let signed = SignableRequest {
        headers: &h,
        ..request
    };
    assert_eq!(signing::verify(&signed, AK, SK), Ok(()));
    assert_eq!(
        signing::verify(&signed, AK, "WrongKey"),
        Err(SignatureError::BadSignature)
    );
    assert!(matches!(
        signing::verify(&signed, "OtherAk", SK),
        Err(SignatureError::UnknownAccessKey(_))
    ));
    let other_query = query(&[("limit", "2")]);
    let tampered = SignableRequest {
        query: &other_query,
        ..signed
    };
    assert_eq!(
        signing::verify(&tampered, AK, SK),
        Err(SignatureError::BadSignature)
    );
    let unsigned = SignableRequest {
        headers: &h[..2],
        ..signed
    };
    assert_eq!(
        signing::verify(&unsigned, AK, SK),
        Err(SignatureError::MissingAuthorization)
    );
    let garbage = headers(&[
        ("Authorization", "Basic abc"),
        ("X-Sdk-Date", "20060102T150405Z"),
    ]);
    assert!(matches!(
        signing::verify(
            &SignableRequest {
                headers: &garbage,
                ..signed
            },
            AK,
            SK
        ),
        Err(SignatureError::Malformed(_))
    ));
}

#[test]
fn sdk_date_format() {
    let time = UNIX_EPOCH + Duration::from_secs(1_591_583_940); // 2020-06-08 02:39:00 UTC
    assert_eq!(signing::format_sdk_date(time), "20200608T023900Z");
    assert_eq!(
        signing::format_sdk_date(UNIX_EPOCH + Duration::from_secs(951_825_600)),
        "20000229T120000Z"
    );
}
