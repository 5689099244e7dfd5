//! Configuration from the `HUAWEICLOUD_SDK_*` environment variables.
//!
//! The only test of this binary, because the environment is process-wide: no other test may
//! read it while this one changes it.

use huaweicloud_db_runtime::Credentials;
use huaweicloud_db_runtime::{
    ClientBuilder, Handle, RegionEndpoint, ServiceClient, ServiceDescriptor,
};

static SERVICE: ServiceDescriptor = ServiceDescriptor {
    name: "test",
    endpoint_service: "testsvc",
    endpoints: &[RegionEndpoint {
        region: "cn-north-4",
        name: "CN North-Beijing4",
        host: "testsvc.cn-north-4.myhuaweicloud.com",
    }],
    endpoint_pattern: Some("{service}.{region}.{domain}"),
    default_domain: Some("myhuaweicloud.com"),
};

#[derive(Debug)]
struct TestClient(Handle);

impl ServiceClient for TestClient {
    const SERVICE: &'static ServiceDescriptor = &SERVICE;
    fn from_handle(handle: Handle) -> Self {
        TestClient(handle)
    }
}

const VARIABLES: [&str; 6] = [
    "HUAWEICLOUD_SDK_AK",
    "HUAWEICLOUD_SDK_SK",
    "HUAWEICLOUD_SDK_SECURITY_TOKEN",
    "HUAWEICLOUD_SDK_PROJECT_ID",
    "HUAWEICLOUD_SDK_REGION",
    "HUAWEICLOUD_SDK_REGION_TESTSVC_LA_NORTH_2",
];

fn set(pairs: &[(&str, &str)]) {
    for name in VARIABLES {
        std::env::remove_var(name);
    }
    for (name, value) in pairs {
        std::env::set_var(name, value);
    }
}

#[test]
fn the_environment_fills_what_is_not_set() {
    set(&[]);
    assert_eq!(Credentials::from_env(), None);

    // Half a key pair, or a blank one, is no credentials.
    set(&[
        ("HUAWEICLOUD_SDK_AK", "env-ak"),
        ("HUAWEICLOUD_SDK_SK", "  "),
    ]);
    assert_eq!(Credentials::from_env(), None);

    set(&[
        ("HUAWEICLOUD_SDK_AK", "env-ak"),
        ("HUAWEICLOUD_SDK_SK", "env-sk"),
    ]);
    assert_eq!(
        Credentials::from_env(),
        Some(Credentials::ak_sk("env-ak", "env-sk"))
    );

    set(&[
        ("HUAWEICLOUD_SDK_AK", "env-ak"),
        ("HUAWEICLOUD_SDK_SK", "env-sk"),
        ("HUAWEICLOUD_SDK_SECURITY_TOKEN", "env-token"),
        ("HUAWEICLOUD_SDK_PROJECT_ID", "env-project"),
        ("HUAWEICLOUD_SDK_REGION", "la-north-2"),
    ]);
    assert_eq!(
        Credentials::from_env(),
        Some(Credentials::temporary("env-ak", "env-sk", "env-token"))
    );
    let client = ClientBuilder::<TestClient>::new()
        .from_env()
        .build()
        .expect("configured from the environment");
    assert_eq!(client.0.region(), Some("la-north-2"));
    assert_eq!(
        client.0.base_url(),
        "https://testsvc.la-north-2.myhuaweicloud.com"
    );
    assert_eq!(
        client.0.resolve_project_id(None).ok().as_deref(),
        Some("env-project")
    );

    // The region's endpoint variable, read from the process environment by `from_env`.
    set(&[
        ("HUAWEICLOUD_SDK_AK", "env-ak"),
        ("HUAWEICLOUD_SDK_SK", "env-sk"),
        ("HUAWEICLOUD_SDK_REGION", "la-north-2"),
        (
            "HUAWEICLOUD_SDK_REGION_TESTSVC_LA_NORTH_2",
            "https://private.example.com",
        ),
    ]);
    let client = ClientBuilder::<TestClient>::new()
        .from_env()
        .build()
        .expect("configured from the environment");
    assert_eq!(client.0.base_url(), "https://private.example.com");

    // What the builder was given wins over the environment.
    let client = ClientBuilder::<TestClient>::new()
        .region("cn-north-4")
        .project_id("own-project")
        .credentials(Credentials::token("own-token"))
        .from_env()
        .build()
        .expect("builds");
    assert_eq!(client.0.region(), Some("cn-north-4"));
    assert_eq!(
        client.0.resolve_project_id(None).ok().as_deref(),
        Some("own-project")
    );
    assert!(format!("{:?}", client.0).contains("Token"));

    set(&[]);
    assert!(ClientBuilder::<TestClient>::new()
        .from_env()
        .build()
        .is_err());
}
