//! Small, repeatable measurements of the client's and the mock's own work per call (issue #17),
//! made for instruction counting under `valgrind --tool=callgrind`, which is repeatable where
//! wall time on a shared machine is not. `cargo xtask bench --only http` measures the real crate
//! end to end; this measures the same code paths on the fixture crate, which builds in seconds.
//!
//! - `serve --port N [--bare]`: the fixture's mock (`DocumentedMock`, signatures verified, nothing
//!   recorded: as `mock_server` runs), or with `--bare` a bare axum handler that returns the
//!   mock's bytes for `GET PATH`, on `127.0.0.1:N` until stopped.
//! - `client --url URL --calls N --variant typed|hand`: `N` sequential `show_widget` calls
//!   through the generated client, or through a hand-written `reqwest` + `serde_json` call
//!   decoding into the same type, after one call that opens the connection.
//!
//! Client instructions per call: the difference of two `client` runs under callgrind (say 200 and
//! 1,200 calls, against a `serve` that is not under valgrind) divided by the difference in calls.
//! Mock instructions per request: `serve` under callgrind, `callgrind_control --dump` after a
//! warm-up `client` run and again after one of `N` calls; the second dump's total over `N`.
//! Both run on one thread (a current-thread runtime), so no thread hand-offs are counted, unless
//! `--multi-thread` is given.

use fixture_crate::demo::{self, mock, types};
use fixture_crate::runtime::mock::MockConfig;
use fixture_crate::runtime::Credentials;
use std::process::ExitCode;

const PROJECT_ID: &str = "p1";
const WIDGET: &str = "w1";
const TOKEN: &str = "bench-token";
/// `GET show_widget` for `PROJECT_ID` and `WIDGET`.
const PATH: &str = "/v3/p1/widgets/w1";
/// The generated client's default `User-Agent`, so both clients send the same request.
const USER_AGENT: &str = concat!("huaweicloud-db-rust/", env!("CARGO_PKG_VERSION"));

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

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `--multi-thread`: the runtime `#[tokio::main]` gives, as `cargo xtask bench` runs.
    let runtime = if args.iter().any(|a| a == "--multi-thread") {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    };
    let result = match runtime {
        Ok(runtime) => runtime.block_on(async {
            match args.first().map(String::as_str) {
                Some("serve") => serve(&args).await,
                Some("client") => client(&args).await,
                _ => Err("usage: bench_calls serve --port N [--bare] | client --url URL --calls N --variant typed|hand [--multi-thread]".into()),
            }
        }),
        Err(e) => Err(format!("runtime: {e}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(args: &[String]) -> Result<(), String> {
    let port: u16 = number(&option(args, "--port")?, "--port")?;
    let config = MockConfig::default()
        .verify_signatures("AccessKey", "SecretKey")
        .record_limit(0);
    if !args.iter().any(|a| a == "--bare") {
        let server = mock::start_with(mock::DocumentedMock, config, port)
            .await
            .map_err(|e| format!("mock: {e}"))?;
        println!("mock listening on {}", server.url());
        server.run_forever().await;
        return Ok(());
    }
    // The mock's exact answer, fetched once from a mock started for it.
    let server = mock::start(mock::DocumentedMock)
        .await
        .map_err(|e| format!("mock: {e}"))?;
    let body = reqwest::Client::new()
        .get(format!("{}{PATH}", server.url()))
        .header("X-Auth-Token", TOKEN)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(|e| format!("mock: {e}"))?
        .bytes()
        .await
        .map_err(|e| format!("mock: {e}"))?;
    server.shutdown().await;
    let app = axum::Router::new().route(
        PATH,
        axum::routing::get(move || {
            let body = body.clone();
            async move {
                (
                    [(axum::http::header::CONTENT_TYPE, "application/json")],
                    body,
                )
            }
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

async fn client(args: &[String]) -> Result<(), String> {
    let url = option(args, "--url")?;
    let calls: usize = number(&option(args, "--calls")?, "--calls")?;
    match option(args, "--variant")?.as_str() {
        "typed" => {
            let client = demo::Client::builder()
                .endpoint(&url)
                .project_id(PROJECT_ID)
                .credentials(Credentials::token(TOKEN))
                .build()
                .map_err(|e| format!("client: {e}"))?;
            for _ in 0..=calls {
                let widget = client
                    .show_widget(WIDGET)
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                check(&widget)?;
            }
        }
        "hand" => {
            let http = reqwest::Client::builder()
                .user_agent(USER_AGENT)
                .build()
                .map_err(|e| format!("reqwest: {e}"))?;
            let url = format!("{url}{PATH}");
            for _ in 0..=calls {
                let response = http
                    .get(&url)
                    .header("X-Auth-Token", TOKEN)
                    .header("X-Project-Id", PROJECT_ID)
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                if response.status() != 200 {
                    return Err(format!("status {}", response.status()));
                }
                let body = response.bytes().await.map_err(|e| e.to_string())?;
                let widget: types::Widget =
                    serde_json::from_slice(&body).map_err(|e| e.to_string())?;
                check(&widget)?;
            }
        }
        other => return Err(format!("--variant must be typed or hand, not `{other}`")),
    }
    Ok(())
}

/// Both variants must read the documented widget, or they measure different work.
fn check(widget: &types::Widget) -> Result<(), String> {
    if widget.id.as_deref() != Some(WIDGET) {
        return Err(format!("unexpected answer: {widget:?}"));
    }
    Ok(())
}
