//! How the scripted server writes a response: well-formed, or with a fault on purpose.

use super::Reply;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

/// A way for a response to go wrong after its status line.
#[derive(Debug, Clone, Copy)]
pub enum Fault {
    /// `Content-Length` announces this many bytes; the body is sent and the connection closed
    /// (a FIN, not a reset) before the rest.
    Truncated { announced: usize },
    /// `Content-Length` announces this many bytes; the body is sent, then the connection is reset
    /// (an RST).
    ResetMidBody { announced: usize },
    /// The body sent `Transfer-Encoding: chunked` in chunks of at most `size` bytes, with no
    /// `Content-Length` to warn the client of its size.
    Chunked { size: usize },
    /// The body (16 KiB of `x` if it is empty) sent chunked over and over until the client hangs
    /// up; the last chunk never comes. The server stops by itself after [`ENDLESS_LIMIT`] bytes.
    EndlessChunked,
}

/// Where an endless body ends all the same, so that a client that never stops reading cannot make
/// a test run forever.
const ENDLESS_LIMIT: usize = 1 << 30;

/// Writes `reply` to `socket` and ends the connection as its fault says.
pub(super) async fn answer(mut socket: TcpStream, reply: &Reply) {
    let framing = match reply.fault {
        None => format!("Content-Length: {}", reply.body.len()),
        Some(Fault::Truncated { announced } | Fault::ResetMidBody { announced }) => {
            format!("Content-Length: {announced}")
        }
        Some(Fault::Chunked { .. } | Fault::EndlessChunked) => "Transfer-Encoding: chunked".into(),
    };
    let mut head = format!(
        "HTTP/1.1 {} Scripted\r\n{framing}\r\nConnection: close\r\n",
        reply.status
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    if socket.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    match reply.fault {
        None | Some(Fault::Truncated { .. }) => {
            let _ = socket.write_all(&reply.body).await;
            let _ = socket.shutdown().await;
        }
        Some(Fault::ResetMidBody { .. }) => {
            let _ = socket.write_all(&reply.body).await;
            let _ = socket.flush().await;
            // Closing with SO_LINGER 0 sends an RST instead of a FIN.
            let _ = socket.set_zero_linger();
        }
        Some(Fault::Chunked { size }) => {
            for chunk in reply.body.chunks(size.max(1)) {
                if write_chunk(&mut socket, chunk).await.is_err() {
                    return;
                }
            }
            let _ = socket.write_all(b"0\r\n\r\n").await;
            let _ = socket.shutdown().await;
        }
        Some(Fault::EndlessChunked) => {
            let chunk = if reply.body.is_empty() {
                vec![b'x'; 16 * 1024]
            } else {
                reply.body.clone()
            };
            let mut sent = 0;
            while sent < ENDLESS_LIMIT {
                // A failed write is the client hanging up.
                if write_chunk(&mut socket, &chunk).await.is_err() {
                    return;
                }
                sent += chunk.len();
            }
        }
    }
}

async fn write_chunk(socket: &mut TcpStream, chunk: &[u8]) -> std::io::Result<()> {
    if chunk.is_empty() {
        // An empty chunk would be the last one.
        return Ok(());
    }
    let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
    framed.extend_from_slice(chunk);
    framed.extend_from_slice(b"\r\n");
    socket.write_all(&framed).await
}
