//! The processes behind `cargo xtask bench --http` (see `xtask/src/bench/http.rs`), which builds
//! this in release and reads what it prints. Two commands:
//!
//! - `bare --port N`: the ceiling for the mock-throughput comparison. Fetches the TaurusDB mock's
//!   answer to `GET list_engine_versions` once (from a mock started in this process, then stopped)
//!   and serves exactly those bytes from a bare axum handler on `127.0.0.1:N`.
//! - `client --url URL --rounds R --round-ms MS --concurrency C[,C..] [--only typed|hand]`: the client-overhead
//!   comparison. The same call, `list_engine_versions`, through the generated client and through
//!   a hand-written `reqwest` + `serde_json` call decoding into the same generated struct, against
//!   the mock at `URL`. Rounds alternate the two (ABBA order), each runs `C` callers in a loop for
//!   `MS` milliseconds; every round prints one tab-separated line:
//!   `round <concurrency> <typed|hand> <index> <calls> <elapsed_ns> <cpu_ns>`, where `cpu_ns` is
//!   the CPU time this process used during the round (all its threads, from `/proc`): the
//!   client's own cost, which other work on the machine disturbs much less than the wall time.

use huaweicloud_db::taurusdb::{self, mock, types::ListEngineVersionsResponse};
use huaweicloud_db::Credentials;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

const PROJECT_ID: &str = "0483b6b16e954cb88930a360d2c4e663";
const ENGINE: &str = "gaussdb-mysql";
const TOKEN: &str = "bench-token";
/// `GET list_engine_versions` for `PROJECT_ID` and `ENGINE`; the load tool requests it too.
const PATH: &str = "/v3/0483b6b16e954cb88930a360d2c4e663/datastores/gaussdb-mysql";
/// The generated client's default `User-Agent`, so both clients send the same request.
const USER_AGENT: &str = concat!("huaweicloud-db-rust/", env!("CARGO_PKG_VERSION"));

/// `--name value` pairs.
fn option(args: &[String], name: &str) -> Result<String, String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
        .ok_or_else(|| format!("{name} is required"))
}

fn number<T: std::str::FromStr>(text: &str, name: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("{name}: `{text}` is not a number"))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("bare") => bare(&args).await,
        Some("client") => client(&args).await,
        _ => Err("usage: bench_http bare --port N | client --url URL --rounds R --round-ms MS --concurrency C[,C..]".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Serves the mock's exact answer from a bare axum handler until the process is stopped.
async fn bare(args: &[String]) -> Result<(), String> {
    let port: u16 = number(&option(args, "--port")?, "--port")?;
    let (content_type, body) = documented_answer().await?;
    let app = axum::Router::new().route(
        PATH,
        axum::routing::get(move || {
            let body = body.clone();
            let content_type = content_type.clone();
            async move { ([(axum::http::header::CONTENT_TYPE, content_type)], body) }
        }),
    );
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    println!("bare axum listening on http://127.0.0.1:{port}");
    axum::serve(listener, app)
        .await
        .map_err(|e| format!("bare server: {e}"))
}

/// The `Content-Type` and body the mock sends for `PATH`.
async fn documented_answer() -> Result<(axum::http::HeaderValue, axum::body::Bytes), String> {
    let server = mock::start(mock::DocumentedMock)
        .await
        .map_err(|e| format!("mock: {e}"))?;
    let response = reqwest::Client::new()
        .get(format!("{}{PATH}", server.url()))
        .header("X-Auth-Token", TOKEN)
        .send()
        .await
        .map_err(|e| format!("mock: {e}"))?;
    if response.status() != 200 {
        return Err(format!("mock answered {}", response.status()));
    }
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| axum::http::HeaderValue::from_bytes(v.as_bytes()).ok())
        .unwrap_or_else(|| axum::http::HeaderValue::from_static("application/json"));
    let body = response.bytes().await.map_err(|e| format!("mock: {e}"))?;
    server.shutdown().await;
    Ok((content_type, body))
}

/// One way of making the call.
#[derive(Clone)]
enum Caller {
    /// The generated client, configured as a user would (default retries and timeout).
    Typed(taurusdb::Client),
    /// What one would write by hand: the same request with reqwest, decoded with serde_json.
    Hand {
        http: reqwest::Client,
        url: Arc<str>,
    },
}

impl Caller {
    fn name(&self) -> &'static str {
        match self {
            Caller::Typed(_) => "typed",
            Caller::Hand { .. } => "hand",
        }
    }

    async fn call(&self) -> Result<ListEngineVersionsResponse, String> {
        match self {
            Caller::Typed(client) => client
                .list_engine_versions(ENGINE)
                .send()
                .await
                .map_err(|e| e.to_string()),
            Caller::Hand { http, url } => {
                let response = http
                    .get(&**url)
                    .header("X-Auth-Token", TOKEN)
                    .header("X-Project-Id", PROJECT_ID)
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                if response.status() != 200 {
                    return Err(format!("status {}", response.status()));
                }
                let body = response.bytes().await.map_err(|e| e.to_string())?;
                serde_json::from_slice(&body).map_err(|e| e.to_string())
            }
        }
    }
}

async fn client(args: &[String]) -> Result<(), String> {
    let url = option(args, "--url")?;
    let rounds: usize = number(&option(args, "--rounds")?, "--rounds")?;
    let round = Duration::from_millis(number(&option(args, "--round-ms")?, "--round-ms")?);
    let concurrencies = option(args, "--concurrency")?
        .split(',')
        .map(|c| number::<usize>(c, "--concurrency"))
        .collect::<Result<Vec<_>, _>>()?;
    // `--only typed|hand`: one variant, to profile it alone.
    let only = option(args, "--only").ok();
    let typed = Caller::Typed(
        taurusdb::Client::builder()
            .endpoint(&url)
            .project_id(PROJECT_ID)
            .credentials(Credentials::token(TOKEN))
            .build()
            .map_err(|e| format!("client: {e}"))?,
    );
    let hand = Caller::Hand {
        http: reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .build()
            .map_err(|e| format!("reqwest: {e}"))?,
        url: format!("{url}{PATH}").into(),
    };
    // Both decode the same answer to the same value, or the comparison means nothing.
    let (a, b) = (typed.call().await?, hand.call().await?);
    if a != b || a.datastores.as_ref().is_none_or(Vec::is_empty) {
        return Err(format!("the two calls disagree: {a:?} vs {b:?}"));
    }
    for &concurrency in &concurrencies {
        // Warm up: open the connections of both pools.
        for caller in [&typed, &hand] {
            run_round(caller, concurrency, round / 4).await?;
        }
        for index in 0..rounds {
            // ABBA: neither variant always runs first, so a drift in the machine's load cancels.
            let order = if index % 2 == 0 {
                [&typed, &hand]
            } else {
                [&hand, &typed]
            };
            for caller in order {
                if only.as_deref().is_some_and(|name| name != caller.name()) {
                    continue;
                }
                let cpu = process_cpu_ns();
                let (calls, elapsed) = run_round(caller, concurrency, round).await?;
                let cpu = process_cpu_ns().saturating_sub(cpu);
                println!(
                    "round\t{concurrency}\t{}\t{index}\t{calls}\t{}\t{cpu}",
                    caller.name(),
                    elapsed.as_nanos()
                );
            }
        }
    }
    Ok(())
}

/// `concurrency` callers each calling in a loop until `length` has passed; the number of calls
/// and the time until the last one finished.
async fn run_round(
    caller: &Caller,
    concurrency: usize,
    length: Duration,
) -> Result<(usize, Duration), String> {
    let started = Instant::now();
    let deadline = started + length;
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let caller = caller.clone();
            tokio::spawn(async move {
                let mut calls = 0usize;
                while Instant::now() < deadline {
                    caller.call().await?;
                    calls += 1;
                }
                Ok::<usize, String>(calls)
            })
        })
        .collect();
    let mut calls = 0;
    for task in tasks {
        calls += task.await.map_err(|e| format!("caller: {e}"))??;
    }
    Ok((calls, started.elapsed()))
}

/// CPU time used so far by all threads of this process, in nanoseconds (Linux: the first field
/// of `/proc/self/task/*/schedstat`); 0 where that cannot be read.
fn process_cpu_ns() -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    tasks
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("schedstat")).ok())
        .filter_map(|stat| stat.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}
