//! Throughput of the generated TaurusDB mock on one GET operation (`list_engine_versions`), and
//! the cost of a call through the generated client against it.
//!
//! `cargo bench -p huaweicloud-db --features mock,taurusdb --bench mock_throughput`
//! prints requests per second for raw keep-alive HTTP and for the typed client, with 1 and 8
//! concurrent callers. A bench, not a test: numbers depend on the machine.

use huaweicloud_db::taurusdb::{self, mock};
use huaweicloud_db::{Credentials, RetryConfig};
use std::time::{Duration, Instant};

const REQUESTS_PER_CALLER: usize = 2_000;
const PATH: &str = "/v3/0483b6b16e954cb88930a360d2c4e663/datastores/gaussdb-mysql";

async fn raw_http(url: &str, callers: usize) -> f64 {
    let http = reqwest::Client::new();
    let started = Instant::now();
    let tasks: Vec<_> = (0..callers)
        .map(|_| {
            let http = http.clone();
            let url = format!("{url}{PATH}");
            tokio::spawn(async move {
                for _ in 0..REQUESTS_PER_CALLER {
                    let response = http
                        .get(&url)
                        .header("X-Auth-Token", "t")
                        .send()
                        .await
                        .expect("mock answers");
                    assert_eq!(response.status(), 200);
                    response.bytes().await.expect("body");
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("caller finished");
    }
    rate(callers, started.elapsed())
}

async fn typed_client(url: &str, callers: usize) -> f64 {
    let client = taurusdb::Client::builder()
        .endpoint(url)
        .project_id("0483b6b16e954cb88930a360d2c4e663")
        .credentials(Credentials::token("t"))
        .retry(RetryConfig::disabled())
        .build()
        .expect("client");
    let started = Instant::now();
    let tasks: Vec<_> = (0..callers)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                for _ in 0..REQUESTS_PER_CALLER {
                    client
                        .list_engine_versions("gaussdb-mysql")
                        .send()
                        .await
                        .expect("documented answer");
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("caller finished");
    }
    rate(callers, started.elapsed())
}

fn rate(callers: usize, elapsed: Duration) -> f64 {
    (callers * REQUESTS_PER_CALLER) as f64 / elapsed.as_secs_f64()
}

#[tokio::main]
async fn main() {
    let server = mock::start(mock::DocumentedMock)
        .await
        .expect("mock starts");
    let url = server.url().to_string();
    // Warm up connections and caches.
    raw_http(&url, 1).await;
    println!(
        "mock throughput on GET list_engine_versions ({REQUESTS_PER_CALLER} requests per caller):"
    );
    for callers in [1, 8] {
        let raw = raw_http(&url, callers).await;
        let typed = typed_client(&url, callers).await;
        println!(
            "  {callers} caller(s): raw HTTP {raw:>8.0} req/s ({:>6.1} us/req), typed client {typed:>8.0} req/s ({:>6.1} us/req)",
            1e6 / raw * callers as f64,
            1e6 / typed * callers as f64
        );
    }
    server.shutdown().await;
}
