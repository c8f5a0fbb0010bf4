//! Connection limits (issue #20, point 5): how many connections a node
//! holds, and how long a client may take over a request head or sit idle.
//!
//! [`GuardedListener`] is the listener `axum::serve` runs on, for plain HTTP
//! and for TLS alike. It takes a slot of `--max-connections` before it
//! accepts a connection, so beyond the limit new connections wait in the
//! kernel's backlog instead of costing file descriptors. Each accepted
//! connection is a [`Guarded`] stream that is closed (the next read fails
//! with `TimedOut`, and hyper drops the connection):
//!
//! - when a request head is not complete `--header-read-timeout` after the
//!   connection opened (the TLS handshake included) or after the first
//!   byte of a later request — a client that sends half a header, or
//!   nothing, is gone after that long;
//! - when it carries no bytes either way for `--keep-alive-timeout`:
//!   between requests (an idle keep-alive connection), or in the middle of
//!   one (a body that stops arriving).
//!
//! The end of a request head is found by watching the bytes read for the
//! blank line (`\r\n\r\n`) that ends it; HTTP/2's connection preface ends
//! the same way, after which its frames count as activity. Bytes are only
//! observed, never changed.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};

/// The limits of one listener.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnLimits {
    pub header_read_timeout: Duration,
    pub keep_alive_timeout: Duration,
    pub max_connections: usize,
}

/// A TLS connection whose handshake runs on its first read or write, in
/// the connection's own task (a slow handshake never holds up `accept`).
pub enum LazyTls {
    Handshake(Box<tokio_rustls::Accept<TcpStream>>),
    Ready(Box<tokio_rustls::server::TlsStream<TcpStream>>),
    Failed,
}

impl LazyTls {
    fn poll_ready(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<&mut tokio_rustls::server::TlsStream<TcpStream>>> {
        loop {
            match self {
                LazyTls::Ready(s) => return Poll::Ready(Ok(s)),
                LazyTls::Failed => {
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::NotConnected,
                        "the TLS handshake failed",
                    )))
                }
                LazyTls::Handshake(accept) => match Pin::new(accept.as_mut()).poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Ok(s)) => *self = LazyTls::Ready(Box::new(s)),
                    Poll::Ready(Err(e)) => {
                        *self = LazyTls::Failed;
                        return Poll::Ready(Err(e));
                    }
                },
            }
        }
    }
}

/// A plain or TLS connection.
pub enum Conn {
    Plain(TcpStream),
    Tls(LazyTls),
}

impl AsyncRead for Conn {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Conn::Tls(t) => match t.poll_ready(cx) {
                Poll::Ready(Ok(s)) => Pin::new(s).poll_read(cx, buf),
                Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_write(cx, data),
            Conn::Tls(t) => match t.poll_ready(cx) {
                Poll::Ready(Ok(s)) => Pin::new(s).poll_write(cx, data),
                Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
                Poll::Pending => Poll::Pending,
            },
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_flush(cx),
            Conn::Tls(LazyTls::Ready(s)) => Pin::new(s).poll_flush(cx),
            Conn::Tls(_) => Poll::Ready(Ok(())),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Conn::Tls(LazyTls::Ready(s)) => Pin::new(s).poll_shutdown(cx),
            Conn::Tls(_) => Poll::Ready(Ok(())),
        }
    }
}

/// Where a connection is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Reading a request head, which must be complete by the deadline.
    Head { deadline: Instant },
    /// Between the end of a head and the end of its response.
    Busy,
    /// Waiting for the next request.
    Idle,
}

/// One connection under [`ConnLimits`]; holds its `--max-connections`
/// slot until dropped.
pub struct Guarded<I> {
    io: I,
    _slot: OwnedSemaphorePermit,
    limits: ConnLimits,
    phase: Phase,
    /// How much of `\r\n\r\n` the bytes read so far end with.
    matched: u8,
    /// Bytes were written since the head ended (the response started).
    responded: bool,
    last_activity: Instant,
    timer: Pin<Box<Sleep>>,
}

impl<I> Guarded<I> {
    pub fn new(io: I, slot: OwnedSemaphorePermit, limits: ConnLimits) -> Guarded<I> {
        let now = Instant::now();
        let deadline = now + limits.header_read_timeout;
        Guarded {
            io,
            _slot: slot,
            limits,
            phase: Phase::Head { deadline },
            matched: 0,
            responded: false,
            last_activity: now,
            timer: Box::pin(tokio::time::sleep_until(deadline)),
        }
    }

    fn deadline(&self) -> Instant {
        match self.phase {
            Phase::Head { deadline } => deadline,
            Phase::Busy | Phase::Idle => self.last_activity + self.limits.keep_alive_timeout,
        }
    }

    /// Watches bytes read for the end of a request head.
    fn saw(&mut self, bytes: &[u8]) {
        let now = Instant::now();
        self.last_activity = now;
        if self.phase == Phase::Idle {
            self.phase = Phase::Head {
                deadline: now + self.limits.header_read_timeout,
            };
            self.matched = 0;
        }
        if let Phase::Head { .. } = self.phase {
            const END: &[u8; 4] = b"\r\n\r\n";
            for &b in bytes {
                self.matched = if b == END[self.matched as usize] {
                    self.matched + 1
                } else if b == b'\r' {
                    1
                } else {
                    0
                };
                if self.matched == 4 {
                    self.phase = Phase::Busy;
                    self.responded = false;
                    self.matched = 0;
                    break;
                }
            }
        }
    }

    fn timed_out(&self) -> io::Error {
        let what = match self.phase {
            Phase::Head { .. } => "the request head was not complete within --header-read-timeout",
            Phase::Busy | Phase::Idle => "no bytes moved within --keep-alive-timeout",
        };
        io::Error::new(io::ErrorKind::TimedOut, what)
    }
}

impl<I: AsyncRead + Unpin> AsyncRead for Guarded<I> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.io).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    this.saw(&buf.filled()[before..]);
                }
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => {
                // The response went out and the server waits for more: the
                // connection is idle (until a write says the response goes on).
                if this.phase == Phase::Busy && this.responded {
                    this.phase = Phase::Idle;
                }
                let deadline = this.deadline();
                if Instant::now() >= deadline {
                    return Poll::Ready(Err(this.timed_out()));
                }
                this.timer.as_mut().reset(deadline);
                match this.timer.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Err(this.timed_out())),
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }
}

impl<I: AsyncWrite + Unpin> AsyncWrite for Guarded<I> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.io).poll_write(cx, data);
        if let Poll::Ready(Ok(n)) = r {
            if n > 0 {
                this.last_activity = Instant::now();
                if this.phase == Phase::Idle {
                    this.phase = Phase::Busy;
                }
                this.responded = true;
            }
        }
        r
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

/// The listener `axum::serve` runs on: plain TCP, or TLS with `tls`.
pub struct GuardedListener {
    inner: TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    slots: Arc<Semaphore>,
    limits: ConnLimits,
}

impl GuardedListener {
    pub fn new(
        inner: TcpListener,
        tls: Option<Arc<rustls::ServerConfig>>,
        limits: ConnLimits,
    ) -> GuardedListener {
        GuardedListener {
            inner,
            tls: tls.map(tokio_rustls::TlsAcceptor::from),
            slots: Arc::new(Semaphore::new(limits.max_connections.max(1))),
            limits,
        }
    }
}

/// Errors of `accept` that concern one connection only (it was reset
/// before it was accepted): the next accept goes ahead at once.
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

impl axum::serve::Listener for GuardedListener {
    type Io = Guarded<Conn>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        // A slot first: past the limit, connections wait in the backlog.
        let slot = self
            .slots
            .clone()
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        loop {
            match self.inner.accept().await {
                Ok((stream, addr)) => {
                    let _ = stream.set_nodelay(true);
                    let conn = match &self.tls {
                        None => Conn::Plain(stream),
                        Some(acceptor) => {
                            Conn::Tls(LazyTls::Handshake(Box::new(acceptor.accept(stream))))
                        }
                    };
                    return (Guarded::new(conn, slot, self.limits), addr);
                }
                Err(e) if is_connection_error(&e) => continue,
                Err(e) => {
                    // Out of file descriptors or similar: wait instead of
                    // spinning, as axum's own listener does.
                    tracing::error!(error = %e, "accepting a connection failed; retrying in 1 s");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn limits() -> ConnLimits {
        ConnLimits {
            header_read_timeout: Duration::from_secs(2),
            keep_alive_timeout: Duration::from_secs(10),
            max_connections: 4,
        }
    }

    async fn pair() -> (Guarded<tokio::io::DuplexStream>, tokio::io::DuplexStream) {
        let (server, client) = tokio::io::duplex(1024);
        let slot = Arc::new(Semaphore::new(1)).acquire_owned().await.unwrap();
        (Guarded::new(server, slot, limits()), client)
    }

    #[tokio::test(start_paused = true)]
    async fn a_head_that_never_ends_times_out() {
        let (mut server, mut client) = pair().await;
        client
            .write_all(b"POST /ams/api HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        let mut buf = [0u8; 64];
        let n = server.read(&mut buf).await.unwrap();
        assert!(n > 0);
        let started = Instant::now();
        let e = server.read(&mut buf).await.unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::TimedOut);
        assert!(started.elapsed() <= Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn a_silent_connection_times_out_after_the_header_timeout() {
        let (mut server, _client) = pair().await;
        let started = Instant::now();
        let mut buf = [0u8; 8];
        let e = server.read(&mut buf).await.unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::TimedOut);
        assert_eq!(started.elapsed(), Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_keep_alive_connection_gets_the_longer_timeout() {
        let (mut server, mut client) = pair().await;
        client
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let mut buf = [0u8; 64];
        assert!(server.read(&mut buf).await.unwrap() > 0);
        server.write_all(b"HTTP/1.1 200 OK\r\n\r\n").await.unwrap();
        // Idle for longer than the header timeout: still open.
        let reading = tokio::spawn(async move {
            let mut buf = [0u8; 64];
            let n = server.read(&mut buf).await;
            (n.map(|n| buf[..n].to_vec()), server)
        });
        tokio::time::sleep(Duration::from_secs(5)).await;
        client.write_all(b"GET /again HTTP/1.1\r\n").await.unwrap();
        let (got, mut server) = reading.await.unwrap();
        assert_eq!(got.unwrap(), b"GET /again HTTP/1.1\r\n");
        // That head must now end within the header timeout.
        let started = Instant::now();
        let e = server.read(&mut buf).await.unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::TimedOut);
        assert_eq!(started.elapsed(), Duration::from_secs(2));
    }

    #[tokio::test(start_paused = true)]
    async fn idle_connections_close_after_the_keep_alive_timeout() {
        let (mut server, mut client) = pair().await;
        client
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let mut buf = [0u8; 64];
        assert!(server.read(&mut buf).await.unwrap() > 0);
        server
            .write_all(b"HTTP/1.1 204 No Content\r\n\r\n")
            .await
            .unwrap();
        let started = Instant::now();
        let e = server.read(&mut buf).await.unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::TimedOut);
        assert_eq!(started.elapsed(), Duration::from_secs(10));
    }

    #[test]
    fn the_head_end_is_found_across_reads() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        rt.block_on(async {
            let (mut g, _c) = pair().await;
            g.saw(b"GET / HTTP/1.1\r\nHost: x\r");
            assert!(matches!(g.phase, Phase::Head { .. }));
            g.saw(b"\n\r");
            assert!(matches!(g.phase, Phase::Head { .. }));
            g.saw(b"\nbody");
            assert_eq!(g.phase, Phase::Busy);
            // "\r\r\n\r\n" still ends a head.
            let (mut g, _c) = pair().await;
            g.saw(b"GET / HTTP/1.1\r\r\n\r\n");
            assert_eq!(g.phase, Phase::Busy);
        });
    }
}
