//! The loopback server: hyper's HTTP/1 connections around the mock's router, with the header and
//! idle timeouts and the connection limit of [`MockConfig`] (axum's `serve` has none of them).
//!
//! hyper answers some requests itself, before the router runs, with an empty body instead of the
//! API's error shape. The server keeps those few: it lets hyper read a request line and headers
//! well over the router's limits ([`MockConfig::max_uri_length`],
//! [`MockConfig::max_header_bytes`]), so that a request over them is answered by the router with
//! 414 or 431 in the error shape. What is left to hyper: a URI over its own limit of 65534 bytes
//! (an empty 414), a head over four times the limits or with more than 100 header lines (an empty
//! 431), and a request it cannot parse at all, such as a malformed request line or header, or a
//! bad `Content-Length` (an empty 400). hyper writes those answers itself, with no hook to shape
//! them, and closes the connection.

use super::{MockConfig, RecordedCall, Recorder};
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// A mock serving on 127.0.0.1; dropping it (or [`MockServer::shutdown`]) stops it.
#[derive(Debug)]
pub struct MockServer {
    url: String,
    recorder: Recorder,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl MockServer {
    /// Serves `router` on `127.0.0.1:port` (0 picks a free port), recording into `config`'s
    /// recorder, closing connections as its [`header_read_timeout`] and [`idle_timeout`] say, and
    /// serving at most [`max_connections`] at once.
    ///
    /// [`header_read_timeout`]: MockConfig::header_read_timeout
    /// [`idle_timeout`]: MockConfig::idle_timeout
    /// [`max_connections`]: MockConfig::max_connections
    pub async fn start(
        router: axum::Router,
        config: &MockConfig,
        port: u16,
    ) -> io::Result<MockServer> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let url = format!("http://{}", listener.local_addr()?);
        let timeouts = Timeouts {
            header_read: config.header_read_timeout,
            idle: config.idle_timeout,
        };
        let mut http = http1::Builder::new();
        let head_limit = config.head_read_limit();
        // The read buffer holds the whole head, so it must reach the head limit; and it never
        // falls below hyper's default (about 400 KiB), through which bodies and responses pass.
        http.max_header_size(head_limit)
            .max_buf_size(head_limit.max(512 * 1024))
            // A client that closes its side before sending the whole body it announced still
            // gets the answer that says so.
            .half_close(true);
        // With a connection's permit taken before it is accepted, connections beyond the limit
        // wait in the kernel's accept queue rather than in the mock's memory.
        let permits = Arc::new(Semaphore::new(
            config.max_connections.min(Semaphore::MAX_PERMITS),
        ));
        let (shutdown, mut signal) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let service = TowerToHyperService::new(router);
            let graceful = GracefulShutdown::new();
            loop {
                let accepted = tokio::select! {
                    accepted = async {
                        let permit = permits.clone().acquire_owned().await;
                        (permit, listener.accept().await)
                    } => accepted,
                    _ = &mut signal => break,
                };
                match accepted {
                    (Ok(permit), Ok((stream, _))) => {
                        serve(stream, service.clone(), &http, timeouts, &graceful, permit)
                    }
                    // The semaphore is never closed.
                    (Err(_), _) => break,
                    (_, Err(e)) => {
                        // Out of file descriptors, say: wait rather than spin.
                        tracing::warn!(error = %e, "mock server: accept failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                }
            }
            drop(listener);
            // Requests in progress finish; idle connections close now.
            graceful.shutdown().await;
        });
        Ok(MockServer {
            url,
            recorder: config.recorder(),
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }

    /// The base URL, such as `http://127.0.0.1:40521`: give it to the client's `.endpoint(..)`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Every request received so far.
    pub fn calls(&self) -> Vec<RecordedCall> {
        self.recorder.calls()
    }

    /// The requests received for one operation.
    pub fn calls_to(&self, operation: &str) -> Vec<RecordedCall> {
        self.recorder.calls_to(operation)
    }

    /// Stops the server and waits for it to finish.
    pub async fn shutdown(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    /// Serves until the process is stopped (for `cargo xtask mock`).
    pub async fn run_forever(mut self) {
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// The connection timeouts of a [`MockConfig`].
#[derive(Debug, Clone, Copy)]
struct Timeouts {
    header_read: Duration,
    idle: Duration,
}

/// Where a connection is between requests, which decides the timeout that applies to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// A request started arriving (or the connection opened) at this instant and its headers are
    /// not all read: the header timeout runs.
    Head(Instant),
    /// The headers are read and the router has the request: its body timeout and the handler
    /// decide how long this takes.
    Busy,
    /// Answered at this instant; no byte of a next request yet: the idle timeout runs.
    Idle(Instant),
}

/// A connection's [`Phase`], shared by its stream, its service and its timer. An atomic rather
/// than a channel: the phase changes three times per request, and a channel would wake the timer
/// each time (most of the mock's cost per request after the answer itself); the timer looks
/// when it wakes instead (see [`expire`]).
struct SharedPhase {
    /// The instant the phases' times count from.
    origin: Instant,
    /// The phase: its kind in the low two bits, its instant as nanoseconds since `origin` above.
    bits: AtomicU64,
}

const HEAD: u64 = 0;
const BUSY: u64 = 1;
const IDLE: u64 = 2;

impl SharedPhase {
    fn new(phase: Phase) -> SharedPhase {
        let shared = SharedPhase {
            origin: Instant::now(),
            bits: AtomicU64::new(0),
        };
        shared.set(phase);
        shared
    }

    fn set(&self, phase: Phase) {
        let since = |at: Instant| {
            // 2^62 ns is 146 years: a connection does not live that long.
            u64::try_from(at.saturating_duration_since(self.origin).as_nanos()).unwrap_or(u64::MAX)
                << 2
        };
        let bits = match phase {
            Phase::Head(at) => since(at) | HEAD,
            Phase::Busy => BUSY,
            Phase::Idle(at) => since(at) | IDLE,
        };
        self.bits.store(bits, Ordering::Release);
    }

    fn get(&self) -> Phase {
        let bits = self.bits.load(Ordering::Acquire);
        let at = self.origin + Duration::from_nanos(bits >> 2);
        match bits & 3 {
            HEAD => Phase::Head(at),
            IDLE => Phase::Idle(at),
            _ => Phase::Busy,
        }
    }
}

/// Serves one connection on its own task until it ends, times out or the server shuts down,
/// holding one of the server's connection permits until then.
fn serve(
    stream: TcpStream,
    router: TowerToHyperService<axum::Router>,
    http: &http1::Builder,
    timeouts: Timeouts,
    graceful: &GracefulShutdown,
    permit: OwnedSemaphorePermit,
) {
    let phase = Arc::new(SharedPhase::new(Phase::Head(Instant::now())));
    let io = TokioIo::new(Watched {
        stream,
        phase: phase.clone(),
    });
    let watched = phase.clone();
    let service = hyper::service::service_fn(move |request| {
        phase.set(Phase::Busy);
        let answer = hyper::service::Service::call(&router, request);
        let phase = phase.clone();
        async move {
            let answer = answer.await;
            phase.set(Phase::Idle(Instant::now()));
            answer
        }
    });
    let connection = graceful.watch(http.serve_connection(io, service));
    tokio::spawn(async move {
        let _permit = permit;
        tokio::select! {
            served = connection => {
                if let Err(e) = served {
                    tracing::debug!(error = %e, "mock server: connection ended");
                }
            }
            why = expire(&watched, timeouts) => {
                tracing::debug!("mock server: closed a connection, {why}");
            }
        }
    });
}

/// Resolves when the connection has been in [`Phase::Head`] or [`Phase::Idle`] for longer than
/// its timeout.
///
/// Nothing wakes it when the phase changes; it looks again at least every `check`, the shorter of
/// the two timeouts. That is soon enough: a phase that begins after a look ends no earlier than
/// `check` after that look, by which time the next look has seen it and set its wake-up to the
/// phase's end.
async fn expire(phase: &SharedPhase, timeouts: Timeouts) -> &'static str {
    // A timeout of zero must not make this spin while a request is being answered.
    let check = timeouts
        .header_read
        .min(timeouts.idle)
        .max(Duration::from_millis(1));
    loop {
        let now = Instant::now();
        let ends = match phase.get() {
            Phase::Head(since) => {
                Some((since.checked_add(timeouts.header_read), "headers too slow"))
            }
            Phase::Idle(since) => Some((since.checked_add(timeouts.idle), "idle")),
            Phase::Busy => None,
        };
        // A timeout too long to add to an instant never ends.
        let mut wake = now.checked_add(check);
        if let Some((Some(deadline), why)) = ends {
            if deadline <= now {
                return why;
            }
            wake = wake.map(|wake| wake.min(deadline));
        }
        match wake {
            Some(wake) => tokio::time::sleep_until(wake).await,
            None => std::future::pending().await,
        }
    }
}

/// A connection's stream that moves it from [`Phase::Idle`] to [`Phase::Head`] when a byte of the
/// next request arrives. (Bytes that arrive while busy, a pipelined request, leave it idle: the
/// longer idle timeout then bounds that request's headers.)
struct Watched {
    stream: TcpStream,
    phase: Arc<SharedPhase>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if buf.filled().len() > before && matches!(self.phase.get(), Phase::Idle(_)) {
            self.phase.set(Phase::Head(Instant::now()));
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
