//! The AK/SK signer against every known answer of the signing scheme (AK `AccessKey`, SK
//! `SecretKey`). The vectors are copied here so that the tests stand alone.

use huaweicloud_db_runtime::signing::{self, SignableRequest, SignatureError};
use std::time::{Duration, UNIX_EPOCH};

const AK: &str = "AccessKey";
const SK: &str = "SecretKey";

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

/// Vector 1's request: GET https://service.endpoint.myhuaweicloud.com/resources?size=1.
fn vector_1_headers() -> Vec<(String, String)> {
    pairs(&[
        ("Host", "service.endpoint.myhuaweicloud.com"),
        ("X-Sdk-Date", "20200608T023900Z"),
        ("TEST_UNDERSCORE", "TEST_VALUE"),
    ])
}

const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

#[test]
fn vector_1_canonical_request_and_its_hash() {
    let canonical = signing::canonical_request(
        "GET",
        "/resources",
        &pairs(&[("size", "1")]),
        &vector_1_headers(),
        &["host", "x-sdk-date"],
        EMPTY_SHA256,
    );
    assert_eq!(
        canonical,
        "GET\n/resources/\nsize=1\nhost:service.endpoint.myhuaweicloud.com\nx-sdk-date:20200608T023900Z\n\nhost;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        signing::string_to_sign("20200608T023900Z", &canonical),
        "SDK-HMAC-SHA256\n20200608T023900Z\nde94dd1e1ccdb730b403ce35d7e14f7c7b04337f6def1c3a3a2ba936852b133f"
    );
    // Order and case of the names do not matter, and `_` names are dropped.
    assert_eq!(
        signing::canonical_request(
            "get",
            "/resources",
            &pairs(&[("size", "1")]),
            &vector_1_headers(),
            &["X-Sdk-Date", "TEST_UNDERSCORE", "Host"],
            EMPTY_SHA256,
        ),
        canonical
    );
}

#[test]
fn vector_1_get_signing_host_and_date() {
    let headers = vector_1_headers();
    let query = pairs(&[("size", "1")]);
    let request = SignableRequest {
        method: "GET",
        path: "/resources",
        query: &query,
        headers: &headers,
        body: b"",
    };
    assert_eq!(signing::payload_hash(&request), EMPTY_SHA256);
    // Names with `_` are never signed, even when asked for.
    assert_eq!(
        signing::sign(&request, &["host", "x-sdk-date", "test_underscore"], AK, SK),
        Ok("SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842".to_string())
    );
}

#[test]
fn vector_2_post_with_a_body_and_no_content_type() {
    let headers = vector_1_headers();
    let query = pairs(&[("size", "1")]);
    let request = SignableRequest {
        method: "POST",
        path: "/resources",
        query: &query,
        headers: &headers,
        body: br#"{"name":"test","id":1}"#,
    };
    assert_eq!(
        signing::payload_hash(&request),
        "8ed555081b9961769014bc1182c629bb0fe68d7b01c1fc1caab4dc791f377e8c"
    );
    assert_eq!(
        signing::sign(&request, &["host", "x-sdk-date"], AK, SK),
        Ok("SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f".to_string())
    );
}

#[test]
fn vector_3_get_signing_only_the_date() {
    let headers = pairs(&[
        ("Host", "example.huaweicloud.com"),
        ("X-Sdk-Date", "20060102T150405Z"),
        ("TEST_UNDERSCORE", "TEST_VALUE"),
    ]);
    let query = pairs(&[("limit", "1")]);
    let request = SignableRequest {
        method: "GET",
        path: "/path",
        query: &query,
        headers: &headers,
        body: b"",
    };
    assert_eq!(
        signing::sign(&request, &["x-sdk-date"], AK, SK),
        Ok("SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624".to_string())
    );
}

#[test]
fn vector_4_post_json_with_a_trailing_newline_and_unsigned_content_type() {
    let headers = pairs(&[
        ("Host", "example.huaweicloud.com"),
        ("X-Sdk-Date", "20060102T150405Z"),
        ("Content-Type", "application/json"),
    ]);
    let query = pairs(&[("key", "value")]);
    let request = SignableRequest {
        method: "POST",
        path: "/path",
        query: &query,
        headers: &headers,
        body: b"{\"Name\":\"test\",\"Id\":1}\n",
    };
    assert_eq!(
        signing::sign(&request, &["x-sdk-date"], AK, SK),
        Ok("SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59".to_string())
    );
}

#[test]
fn canonical_query_known_answer() {
    let query = pairs(&[
        ("limit", "1"),
        ("enable", "true"),
        ("test", "一 (&=?!#%.*)"),
        ("path", "/tmp/123"),
        ("multi", "1"),
        ("multi", "2"),
        ("multi", "3"),
    ]);
    assert_eq!(
        signing::canonical_query(&query),
        "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29"
    );
    assert_eq!(signing::canonical_query(&[]), "");
}

#[test]
fn encoding_keeps_only_unreserved_characters() {
    assert_eq!(signing::encode("AZaz09-_.~"), "AZaz09-_.~");
    assert_eq!(signing::encode("a b+c/é*"), "a%20b%2Bc%2F%C3%A9%2A");
}

#[test]
fn canonical_uri_encodes_segments_and_ends_with_a_slash() {
    assert_eq!(
        signing::canonical_uri("/v3/p/instances"),
        "/v3/p/instances/"
    );
    assert_eq!(signing::canonical_uri("/v3/p/"), "/v3/p/");
    // Encoded and unencoded spellings canonicalize alike.
    assert_eq!(signing::canonical_uri("/v3/a%20b%2Fc"), "/v3/a%20b%2Fc/");
    assert_eq!(signing::canonical_uri("/v3/a b"), "/v3/a%20b/");
    assert_eq!(signing::canonical_uri("/v3/%e4%b8%80"), "/v3/%E4%B8%80/");
}

#[test]
fn unsigned_payload_replaces_the_body_hash() {
    let headers = pairs(&[
        ("X-Sdk-Date", "20060102T150405Z"),
        ("X-Sdk-Content-Sha256", "UNSIGNED-PAYLOAD"),
    ]);
    let request = SignableRequest {
        method: "PUT",
        path: "/f",
        query: &[],
        headers: &headers,
        body: b"binary",
    };
    assert_eq!(signing::payload_hash(&request), "UNSIGNED-PAYLOAD");
}

#[test]
fn signing_needs_the_date_and_every_signed_header() {
    let headers = pairs(&[("Host", "h")]);
    let request = SignableRequest {
        method: "GET",
        path: "/",
        query: &[],
        headers: &headers,
        body: b"",
    };
    assert_eq!(
        signing::sign(&request, &["host"], AK, SK),
        Err(SignatureError::MissingHeader("X-Sdk-Date".to_string()))
    );
    let headers = pairs(&[("X-Sdk-Date", "20060102T150405Z")]);
    let request = SignableRequest {
        headers: &headers,
        ..request
    };
    assert_eq!(
        signing::sign(&request, &["host", "x-sdk-date"], AK, SK),
        Err(SignatureError::MissingHeader("host".to_string()))
    );
}

#[test]
fn verify_accepts_its_own_signature_and_rejects_everything_else() {
    let base = pairs(&[
        ("Host", "example.huaweicloud.com"),
        ("X-Sdk-Date", "20060102T150405Z"),
    ]);
    let query = pairs(&[("limit", "1")]);
    let request = SignableRequest {
        method: "GET",
        path: "/path",
        query: &query,
        headers: &base,
        body: b"",
    };
    let authorization = signing::sign(&request, &["host", "x-sdk-date"], AK, SK).expect("signs");
    let mut headers = base.clone();
    headers.push(("Authorization".to_string(), authorization.clone()));
    let signed = SignableRequest {
        headers: &headers,
        ..request
    };
    assert_eq!(signing::verify(&signed, AK, SK), Ok(()));

    // Wrong secret, other access key.
    assert_eq!(
        signing::verify(&signed, AK, "WrongKey"),
        Err(SignatureError::BadSignature)
    );
    assert_eq!(
        signing::verify(&signed, "OtherAk", SK),
        Err(SignatureError::UnknownAccessKey("AccessKey".to_string()))
    );

    // Any change to what was signed: query, method, path, body, a signed header.
    let other_query = pairs(&[("limit", "2")]);
    for tampered in [
        SignableRequest {
            query: &other_query,
            ..signed
        },
        SignableRequest {
            method: "DELETE",
            ..signed
        },
        SignableRequest {
            path: "/other",
            ..signed
        },
        SignableRequest {
            body: b"x",
            ..signed
        },
    ] {
        assert_eq!(
            signing::verify(&tampered, AK, SK),
            Err(SignatureError::BadSignature)
        );
    }
    let mut moved = headers.clone();
    moved[0].1 = "evil.example.com".to_string();
    assert_eq!(
        signing::verify(
            &SignableRequest {
                headers: &moved,
                ..signed
            },
            AK,
            SK
        ),
        Err(SignatureError::BadSignature)
    );

    // A signed header that is gone, and no Authorization at all.
    let without_host = vec![headers[1].clone(), headers[2].clone()];
    assert_eq!(
        signing::verify(
            &SignableRequest {
                headers: &without_host,
                ..signed
            },
            AK,
            SK
        ),
        Err(SignatureError::MissingHeader("host".to_string()))
    );
    assert_eq!(
        signing::verify(&request, AK, SK),
        Err(SignatureError::MissingAuthorization)
    );

    // Headers that are not SDK-HMAC-SHA256 at all, or not the hex it should be.
    for garbage in [
        "Basic abc".to_string(),
        "SDK-HMAC-SHA256 Access=AccessKey".to_string(),
        authorization.replace("host;x-sdk-date", "x-sdk-date;host"),
    ] {
        let mut bad = base.clone();
        bad.push(("Authorization".to_string(), garbage));
        assert!(matches!(
            signing::verify(
                &SignableRequest {
                    headers: &bad,
                    ..signed
                },
                AK,
                SK
            ),
            Err(SignatureError::Malformed(_))
        ));
    }
    let mut not_hex = base.clone();
    not_hex.push((
        "Authorization".to_string(),
        format!("{}zz", &authorization[..authorization.len() - 2]),
    ));
    assert_eq!(
        signing::verify(
            &SignableRequest {
                headers: &not_hex,
                ..signed
            },
            AK,
            SK
        ),
        Err(SignatureError::BadSignature)
    );
}

#[test]
fn decode_query_gives_what_the_signer_signed() {
    let query = pairs(&[("test", "一 (&=?!#%.*)"), ("a", "1"), ("a", "2")]);
    let raw = query
        .iter()
        .map(|(n, v)| format!("{}={}", signing::encode(n), signing::encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    assert_eq!(signing::decode_query(&raw), query);
}

#[test]
fn a_foreign_signature_over_a_literal_plus_verifies() {
    // A signer that sends `?q=a+b` reads the `+` as a space (as the gateway's reference signers
    // do) and signs the value `a b`; a server decoding the raw query must see the same.
    let headers = pairs(&[("Host", "example.com"), ("X-Sdk-Date", "20060102T150405Z")]);
    let signed_query = pairs(&[("q", "a b")]);
    let request = |query| SignableRequest {
        method: "GET",
        path: "/path",
        query,
        headers: &headers,
        body: b"",
    };
    let authorization =
        signing::sign(&request(&signed_query), &["host", "x-sdk-date"], AK, SK).expect("signs");
    let mut sent = headers.clone();
    sent.push(("Authorization".to_string(), authorization));
    let received = signing::decode_query("q=a+b");
    assert_eq!(received, signed_query);
    assert_eq!(
        signing::verify(
            &SignableRequest {
                headers: &sent,
                ..request(&received)
            },
            AK,
            SK
        ),
        Ok(())
    );
}

#[test]
fn sdk_date_format() {
    // 2020-06-08 02:39:00 UTC, vector 1's date.
    let time = UNIX_EPOCH + Duration::from_secs(1_591_583_940);
    assert_eq!(signing::format_sdk_date(time), "20200608T023900Z");
    // 2006-01-02 15:04:05 UTC, vector 3's date.
    assert_eq!(
        signing::format_sdk_date(UNIX_EPOCH + Duration::from_secs(1_136_214_245)),
        "20060102T150405Z"
    );
    // A leap day.
    assert_eq!(
        signing::format_sdk_date(UNIX_EPOCH + Duration::from_secs(951_825_600)),
        "20000229T120000Z"
    );
}
