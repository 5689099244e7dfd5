//! A server in a child process for the commands that talk to one over loopback (`bench --http`,
//! `conformance`): started, waited for until it listens, and killed when its guard drops.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A server in a child process, killed (with every process it started) when dropped.
pub struct Server {
    /// What the messages call it.
    pub name: String,
    child: Child,
    /// The loopback port it listens on.
    pub port: u16,
    log: PathBuf,
    /// From spawning to accepting connections.
    pub startup: Duration,
}

impl Server {
    /// Starts `command` (which must listen on `port`) with its output in `log`, and waits until
    /// it accepts connections.
    pub fn start(
        name: &str,
        mut command: Command,
        port: u16,
        log: PathBuf,
        patience: Duration,
    ) -> Result<Server, String> {
        let file = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = file
            .try_clone()
            .map_err(|e| format!("{}: {e}", log.display()))?;
        let started = Instant::now();
        let child = command
            .stdin(Stdio::null())
            .stdout(file)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot start {name}: {e}"))?;
        let mut server = Server {
            name: name.to_string(),
            child,
            port,
            log,
            startup: Duration::ZERO,
        };
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!(
                    "{name} exited ({status}) before listening:\n{}",
                    server.log_tail()
                ));
            }
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                server.startup = started.elapsed();
                eprintln!(
                    "{name} listening on 127.0.0.1:{port} after {:.1} s",
                    server.startup.as_secs_f64()
                );
                return Ok(server);
            }
            if started.elapsed() > patience {
                return Err(format!(
                    "{name} did not listen on 127.0.0.1:{port} within {} s:\n{}",
                    patience.as_secs(),
                    server.log_tail()
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The last lines the server printed.
    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(15)..].join("\n");
        format!("(last lines of {})\n{tail}", self.log.display())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Prism may fork; find the children before the parent dies and they move to init.
        let descendants = descendants(self.child.id());
        let _ = self.child.kill();
        for pid in descendants {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.child.wait();
        eprintln!("stopped {}", self.name);
    }
}

/// The processes below `pid`, children first, from `/proc`.
fn descendants(pid: u32) -> Vec<u32> {
    let mut parents: Vec<(u32, u32)> = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(child) = entry.file_name().to_str().and_then(|n| n.parse().ok()) else {
                continue;
            };
            let stat = std::fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
            // `pid (comm) state ppid ...`; comm may contain spaces and parentheses.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse().ok());
            if let Some(ppid) = ppid {
                parents.push((child, ppid));
            }
        }
    }
    let mut found = vec![pid];
    let mut i = 0;
    while i < found.len() {
        let parent = found[i];
        found.extend(
            parents
                .iter()
                .filter(|(_, ppid)| *ppid == parent)
                .map(|(child, _)| *child),
        );
        i += 1;
    }
    found.remove(0);
    found
}

/// A port that was free a moment ago.
pub fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|e| format!("no free port: {e}"))
}
