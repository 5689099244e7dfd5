//! The README's example of testing user code against the mock, kept compiling and passing.
#![cfg(all(feature = "mock", feature = "taurusdb"))]

use huaweicloud_db::runtime::mock::MockResponse;
use huaweicloud_db::taurusdb::{self, mock, types};
use huaweicloud_db::{Credentials, Error};

// --- README start
/// User code under test: the newest kernel version the API offers.
async fn newest_kernel(client: &taurusdb::Client) -> Result<Option<String>, Error> {
    let versions = client.list_engine_versions("gaussdb-mysql").send().await?;
    Ok(versions
        .datastores
        .unwrap_or_default()
        .into_iter()
        .filter_map(|v| v.kernel_version)
        .max())
}

struct TwoVersions; // overrides one operation; every other one answers with its documented example
impl mock::Mock for TwoVersions {
    async fn list_engine_versions(&self, _: mock::ListEngineVersionsInput) -> MockResponse {
        let version = |k: &str| {
            let mut info = types::MysqlEngineVersionInfo::new();
            info.kernel_version = Some(k.into());
            info
        };
        let mut body = types::ListEngineVersionsResponse::new();
        body.datastores = Some(vec![version("2.0.28.1"), version("2.0.57.240")]);
        MockResponse::typed(200, &body)
    }
}

#[tokio::test]
async fn finds_the_newest_kernel() {
    let server = mock::start(TwoVersions).await.unwrap();
    let client = taurusdb::Client::builder()
        .endpoint(server.url())
        .project_id("p")
        .credentials(Credentials::token("t"))
        .build()
        .unwrap();
    assert_eq!(
        newest_kernel(&client).await.unwrap().as_deref(),
        Some("2.0.57.240")
    );
    assert_eq!(server.calls_to("list_engine_versions").len(), 1);
}
// --- README end
