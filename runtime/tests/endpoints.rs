//! Endpoint resolution and configuration checks of `ClientBuilder::build`: the region table, the
//! host pattern, the endpoint override, and the errors for what cannot be resolved.

use huaweicloud_db_runtime::{
    ClientBuilder, Handle, RegionEndpoint, ServiceClient, ServiceDescriptor,
};
use huaweicloud_db_runtime::{Credentials, Error, HeaderProblem};
use std::collections::HashMap;

static ENDPOINTS: [RegionEndpoint; 2] = [
    RegionEndpoint {
        region: "cn-north-4",
        name: "CN North-Beijing4",
        host: "testsvc.cn-north-4.myhuaweicloud.com",
    },
    RegionEndpoint {
        region: "ap-southeast-1",
        name: "AP-Hong Kong",
        host: "testsvc-intl.ap-southeast-1.myhuaweicloud.com",
    },
];

static WITH_PATTERN: ServiceDescriptor = ServiceDescriptor {
    name: "patterned",
    endpoint_service: "testsvc",
    endpoints: &ENDPOINTS,
    endpoint_pattern: Some("{service}.{region}.{domain}"),
    default_domain: Some("myhuaweicloud.com"),
};

static TABLE_ONLY: ServiceDescriptor = ServiceDescriptor {
    name: "tabled",
    endpoint_service: "testsvc",
    endpoints: &ENDPOINTS,
    endpoint_pattern: None,
    default_domain: None,
};

#[derive(Debug)]
struct Patterned(Handle);

impl ServiceClient for Patterned {
    const SERVICE: &'static ServiceDescriptor = &WITH_PATTERN;
    fn from_handle(handle: Handle) -> Self {
        Patterned(handle)
    }
}

#[derive(Debug)]
struct Tabled(Handle);

impl ServiceClient for Tabled {
    const SERVICE: &'static ServiceDescriptor = &TABLE_ONLY;
    fn from_handle(handle: Handle) -> Self {
        Tabled(handle)
    }
}

fn patterned() -> ClientBuilder<Patterned> {
    ClientBuilder::new().credentials(Credentials::token("t"))
}

fn base_url(builder: ClientBuilder<Patterned>) -> String {
    builder.build().expect("builds").0.base_url().to_string()
}

fn config_error<C: ServiceClient + std::fmt::Debug>(result: Result<C, Error>) -> String {
    match result {
        Err(Error::Config(message)) => message,
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

#[test]
fn a_region_in_the_table_uses_its_documented_host() {
    let client = patterned()
        .region("ap-southeast-1")
        .build()
        .expect("builds");
    assert_eq!(
        client.0.base_url(),
        "https://testsvc-intl.ap-southeast-1.myhuaweicloud.com"
    );
    assert_eq!(client.0.region(), Some("ap-southeast-1"));
}

#[test]
fn a_service_without_a_pattern_still_has_its_table() {
    let client = ClientBuilder::<Tabled>::new()
        .credentials(Credentials::token("t"))
        .region("cn-north-4")
        .build()
        .expect("builds");
    assert_eq!(
        client.0.base_url(),
        "https://testsvc.cn-north-4.myhuaweicloud.com"
    );
}

#[test]
fn other_regions_use_the_pattern_with_the_default_or_given_domain() {
    assert_eq!(
        base_url(patterned().region("la-north-2")),
        "https://testsvc.la-north-2.myhuaweicloud.com"
    );
    assert_eq!(
        base_url(patterned().region("eu-west-101").domain("myhuaweicloud.eu")),
        "https://testsvc.eu-west-101.myhuaweicloud.eu"
    );
}

#[test]
fn the_endpoint_override_wins() {
    assert_eq!(
        base_url(
            patterned()
                .region("cn-north-4")
                .endpoint("http://127.0.0.1:8080")
        ),
        "http://127.0.0.1:8080"
    );
    assert_eq!(
        base_url(patterned().endpoint("gaussdb.private.example.com")),
        "https://gaussdb.private.example.com"
    );
    assert_eq!(
        base_url(patterned().endpoint("https://proxy.example.com/prefix/")),
        "https://proxy.example.com/prefix"
    );
}

#[test]
fn an_unknown_region_names_itself_and_the_known_ones() {
    let message = config_error(
        ClientBuilder::<Tabled>::new()
            .credentials(Credentials::token("t"))
            .region("xx-nowhere-1")
            .build(),
    );
    for part in ["xx-nowhere-1", "cn-north-4", "ap-southeast-1"] {
        assert!(message.contains(part), "{message:?} lacks {part}");
    }
}

#[test]
fn nothing_to_resolve_and_invalid_input_are_configuration_errors() {
    assert!(config_error(patterned().build()).contains("no region or endpoint"));
    config_error(patterned().region("cn-north-4/evil").build());
    config_error(patterned().region("x-1").domain("evil.com/path").build());
    config_error(patterned().endpoint("ftp://example.com").build());
    config_error(patterned().endpoint("http://example.com/?q=1").build());
    config_error(patterned().region("cn-north-4").project_id("").build());
    config_error(
        patterned()
            .region("cn-north-4")
            .user_agent("bad\nagent")
            .build(),
    );
}

#[test]
fn credentials_are_required_and_must_be_usable() {
    let message = config_error(
        ClientBuilder::<Patterned>::new()
            .region("cn-north-4")
            .build(),
    );
    assert!(message.contains("no credentials"), "{message}");
    let message = config_error(
        ClientBuilder::<Patterned>::new()
            .region("cn-north-4")
            .credentials(Credentials::ak_sk("ak", ""))
            .build(),
    );
    assert!(message.contains("secret key"), "{message}");
    config_error(
        ClientBuilder::<Patterned>::new()
            .region("cn-north-4")
            .credentials(Credentials::token("line\nbreak"))
            .build(),
    );
}

#[test]
fn builders_start_empty() {
    let from_default: ClientBuilder<Patterned> = ClientBuilder::default();
    assert_eq!(
        format!("{from_default:?}"),
        format!("{:?}", ClientBuilder::<Patterned>::new())
    );
}

/// An environment for `from_env_with`: the process environment is never touched.
fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + Send + Sync + 'static {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |name| map.get(name).cloned()
}

#[test]
fn the_region_endpoint_variable_overrides_the_table_and_the_explicit_endpoint_wins() {
    let vars = [
        ("HUAWEICLOUD_SDK_AK", "ak"),
        ("HUAWEICLOUD_SDK_SK", "sk"),
        ("HUAWEICLOUD_SDK_PROJECT_ID", "p"),
        ("HUAWEICLOUD_SDK_REGION", "cn-north-4"),
        (
            "HUAWEICLOUD_SDK_REGION_TESTSVC_CN_NORTH_4",
            "https://testsvc.private.example.com",
        ),
        (
            "HUAWEICLOUD_SDK_REGION_TESTSVC_AP_SOUTHEAST_1",
            "hk.example.com",
        ),
    ];
    let from = |builder: ClientBuilder<Patterned>| {
        builder
            .build()
            .map(|c| c.0.base_url().to_string())
            .unwrap_or_else(|e| e.to_string())
    };
    let builder = || ClientBuilder::<Patterned>::new().from_env_with(env(&vars));
    // The region from HUAWEICLOUD_SDK_REGION, its endpoint from the variable.
    assert_eq!(from(builder()), "https://testsvc.private.example.com");
    // A region set after `from_env` is the one whose variable counts.
    assert_eq!(
        from(builder().region("ap-southeast-1")),
        "https://hk.example.com"
    );
    // A region without a variable uses the table; `.endpoint(..)` beats everything.
    let no_variable = [("HUAWEICLOUD_SDK_REGION", "ap-southeast-1")];
    assert_eq!(
        from(patterned().from_env_with(env(&no_variable))),
        "https://testsvc-intl.ap-southeast-1.myhuaweicloud.com"
    );
    assert_eq!(
        from(builder().endpoint("http://127.0.0.1:9")),
        "http://127.0.0.1:9"
    );
    // Without `from_env` the variables are not read.
    assert_eq!(
        from(patterned().region("cn-north-4")),
        "https://testsvc.cn-north-4.myhuaweicloud.com"
    );
    let client = builder().build().expect("builds");
    assert_eq!(client.0.resolve_project_id(None).ok().as_deref(), Some("p"));
    assert!(format!("{:?}", client.0).contains("AkSk"));
}

#[test]
fn default_headers_that_cannot_be_sent_fail_the_build() {
    let invalid = |name: &str, value: &str| match patterned()
        .region("cn-north-4")
        .default_header("X-Fine", "1")
        .default_header(name, value)
        .build()
    {
        Err(Error::InvalidHeader { problem, .. }) => problem,
        other => panic!("{name}: {other:?}"),
    };
    assert_eq!(invalid("bad name", "v"), HeaderProblem::InvalidName);
    assert_eq!(invalid("X-Trace", "a\nb"), HeaderProblem::InvalidValue);
    assert_eq!(invalid("Authorization", "x"), HeaderProblem::Reserved);
    assert_eq!(invalid("x-sdk-date", "x"), HeaderProblem::Reserved);
    assert!(patterned()
        .region("cn-north-4")
        .default_header("Prefer", "code=404")
        .build()
        .is_ok());
}
