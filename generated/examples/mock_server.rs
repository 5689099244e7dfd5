//! Serves a service's mock on 127.0.0.1 until stopped, for curl or clients in other languages.
//! Run it as `cargo xtask mock --service <taurusdb|dws> --port <N> [--ak AK --sk SK] [--stateful]`.
//! With `--stateful`, the resources of the service's `fake:` hints are remembered (the stateful
//! fake, on a real-time clock: jobs take one second).

use huaweicloud_db::runtime::mock::{MockConfig, MockServer};
use std::process::ExitCode;

struct Args {
    service: String,
    port: u16,
    ak: String,
    sk: String,
    stateful: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        service: String::new(),
        port: 0,
        ak: "AccessKey".into(),
        sk: "SecretKey".into(),
        stateful: false,
    };
    let mut words = std::env::args().skip(1);
    while let Some(flag) = words.next() {
        if flag == "--stateful" {
            args.stateful = true;
            continue;
        }
        let value = words
            .next()
            .ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--service" => args.service = value,
            "--port" => {
                args.port = value
                    .parse()
                    .map_err(|_| format!("--port: `{value}` is not a port number"))?
            }
            "--ak" => args.ak = value,
            "--sk" => args.sk = value,
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(args)
}

async fn start(args: &Args) -> Result<MockServer, String> {
    // Nobody reads this server's recorder: keep nothing, so it serves for days in constant memory.
    let config = MockConfig::default()
        .verify_signatures(args.ak.clone(), args.sk.clone())
        .record_limit(0);
    let started = match args.service.as_str() {
        "taurusdb" => {
            let config = match args.stateful {
                true => config.fake(huaweicloud_db::taurusdb::mock::fake()),
                false => config,
            };
            huaweicloud_db::taurusdb::mock::start_with(
                huaweicloud_db::taurusdb::mock::DocumentedMock,
                config,
                args.port,
            )
            .await
        }
        "dws" => {
            let config = match args.stateful {
                true => config.fake(huaweicloud_db::dws::mock::fake()),
                false => config,
            };
            huaweicloud_db::dws::mock::start_with(
                huaweicloud_db::dws::mock::DocumentedMock,
                config,
                args.port,
            )
            .await
        }
        other => return Err(format!("--service must be taurusdb or dws, not `{other}`")),
    };
    started.map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", args.port))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}\nusage: mock_server --service <taurusdb|dws> [--port N] [--ak AK] [--sk SK] [--stateful]");
            return ExitCode::FAILURE;
        }
    };
    match start(&args).await {
        Ok(server) => {
            let kind = if args.stateful {
                "stateful mock"
            } else {
                "mock"
            };
            println!("{kind} {} listening on {}", args.service, server.url());
            println!(
                "accepts any X-Auth-Token; verifies AK/SK signatures for AK `{}`",
                args.ak
            );
            server.run_forever().await;
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
