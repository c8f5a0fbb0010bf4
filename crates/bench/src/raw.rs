//! A minimal HTTP/1.1 keep-alive client for the timed requests.
//!
//! The load generator shares the machine's cores with the gateway, so every
//! microsecond it spends per request is taken from the server it measures.
//! A general client (reqwest: URL parsing, header maps, pool bookkeeping,
//! timers) cost about 65 µs of CPU per call here; this one writes request
//! bytes prepared before the timed window and parses only the status line
//! and the headers the checks need (`httparse`), the way wrk-style
//! generators do. Setup requests and the non-timed parts still use reqwest.

use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::Duration;

use anyhow::{Context, Result};
use bytes::{Buf, Bytes, BytesMut};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Largest response accepted (a checkout page is about 20 KB).
const MAX_RESPONSE: usize = 4 << 20;
/// No single request of a run may take longer than this.
const TIMEOUT: Duration = Duration::from_secs(60);

/// What the checks of a timed request look at.
pub struct Response {
    pub status: u16,
    pub signature: Option<String>,
    pub response_time: Option<String>,
    pub body: Bytes,
}

struct Conn {
    stream: TcpStream,
    buf: BytesMut,
}

/// Keep-alive connections to each node, reused across requests.
pub struct Client {
    nodes: Vec<Node>,
}

struct Node {
    addr: SocketAddr,
    idle: Mutex<Vec<Conn>>,
}

impl Client {
    /// One pool per base URL (`http://127.0.0.1:PORT`).
    pub fn new(bases: &[String]) -> Result<Client> {
        let nodes = bases
            .iter()
            .map(|b| {
                let url = url::Url::parse(b).with_context(|| format!("base URL {b}"))?;
                anyhow::ensure!(
                    url.scheme() == "http",
                    "the load generator speaks plain HTTP"
                );
                let addr = url
                    .socket_addrs(|| Some(80))?
                    .into_iter()
                    .next()
                    .with_context(|| format!("no address for {b}"))?;
                Ok(Node {
                    addr,
                    idle: Mutex::new(Vec::new()),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Client { nodes })
    }

    /// Sends `wire` (a whole HTTP/1.1 request) to node `node % nodes` and
    /// reads the response; errors are named by kind.
    pub async fn send(&self, node: usize, wire: &[u8]) -> Result<Response, String> {
        let node = &self.nodes[node % self.nodes.len()];
        let idle = node.idle.lock().expect("pool lock").pop();
        let mut conn = match idle {
            Some(c) => c,
            None => {
                let stream = TcpStream::connect(node.addr)
                    .await
                    .map_err(|_| "connect".to_string())?;
                stream
                    .set_nodelay(true)
                    .map_err(|_| "connect".to_string())?;
                Conn {
                    stream,
                    buf: BytesMut::with_capacity(8192),
                }
            }
        };
        let (response, keep) = tokio::time::timeout(TIMEOUT, exchange(&mut conn, wire))
            .await
            .map_err(|_| "timeout".to_string())??;
        if keep {
            node.idle.lock().expect("pool lock").push(conn);
        }
        Ok(response)
    }
}

async fn exchange(conn: &mut Conn, wire: &[u8]) -> Result<(Response, bool), String> {
    conn.stream
        .write_all(wire)
        .await
        .map_err(|_| "transport".to_string())?;
    loop {
        if let Some(done) = parse(&mut conn.buf)? {
            return Ok(done);
        }
        if conn.buf.len() > MAX_RESPONSE {
            return Err("body".into());
        }
        conn.buf.reserve(8192);
        let n = conn
            .stream
            .read_buf(&mut conn.buf)
            .await
            .map_err(|_| "transport".to_string())?;
        if n == 0 {
            return Err("transport".into());
        }
    }
}

/// A whole response from the front of `buf` (taken out of it), or `None`
/// when more bytes are needed. Bodies must have a Content-Length (the
/// gateway sends one for every response the scenarios time).
fn parse(buf: &mut BytesMut) -> Result<Option<(Response, bool)>, String> {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut r = httparse::Response::new(&mut headers);
    let head = match r.parse(buf) {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(_) => return Err("transport".into()),
    };
    let status = r.code.unwrap_or(0);
    let (mut length, mut signature, mut time, mut keep) = (None, None, None, true);
    for h in r.headers.iter() {
        let value = || String::from_utf8_lossy(h.value).into_owned();
        if h.name.eq_ignore_ascii_case("content-length") {
            length = std::str::from_utf8(h.value)
                .ok()
                .and_then(|v| v.trim().parse::<usize>().ok());
        } else if h.name.eq_ignore_ascii_case("signature") {
            signature = Some(value());
        } else if h.name.eq_ignore_ascii_case("response-time") {
            time = Some(value());
        } else if h.name.eq_ignore_ascii_case("connection") {
            keep = !h.value.eq_ignore_ascii_case(b"close");
        } else if h.name.eq_ignore_ascii_case("transfer-encoding") {
            return Err("body".into());
        }
    }
    let length = length.ok_or_else(|| "body".to_string())?;
    if buf.len() < head + length {
        return Ok(None);
    }
    buf.advance(head);
    let body = buf.split_to(length).freeze();
    Ok(Some((
        Response {
            status,
            signature,
            response_time: time,
            body,
        },
        keep,
    )))
}

/// The bytes of a signed API POST.
pub fn post(path: &str, client_id: &str, time: &str, signature: &str, body: &[u8]) -> Bytes {
    let mut w = Vec::with_capacity(body.len() + 512);
    w.extend_from_slice(
        format!(
            "POST {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json; charset=UTF-8\r\n\
             client-id: {client_id}\r\nrequest-time: {time}\r\nsignature: {signature}\r\n\
             content-length: {}\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    );
    w.extend_from_slice(body);
    Bytes::from(w)
}

/// The bytes of a plain GET.
pub fn get(path: &str) -> Bytes {
    Bytes::from(format!("GET {path} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_responses_split_anywhere_and_keeps_what_follows() {
        let one = b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\nsignature: algorithm=RSA256,keyVersion=1,signature=abc\r\nresponse-time: t\r\n\r\nhello";
        let mut both = one.to_vec();
        both.extend_from_slice(
            b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
        );
        for cut in 0..one.len() {
            let mut buf = BytesMut::from(&both[..cut]);
            assert!(parse(&mut buf).unwrap().is_none(), "complete at {cut}");
        }
        let mut buf = BytesMut::from(&both[..]);
        let (r, keep) = parse(&mut buf).unwrap().unwrap();
        assert_eq!((r.status, &r.body[..], keep), (200, &b"hello"[..], true));
        assert_eq!(
            r.signature.as_deref(),
            Some("algorithm=RSA256,keyVersion=1,signature=abc")
        );
        assert_eq!(r.response_time.as_deref(), Some("t"));
        let (r, keep) = parse(&mut buf).unwrap().unwrap();
        assert_eq!((r.status, r.body.len(), keep), (404, 0, false));
        assert!(buf.is_empty());
    }

    #[test]
    fn refuses_chunked_and_garbage() {
        let mut buf = BytesMut::from(&b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"[..]);
        assert_eq!(parse(&mut buf).err().as_deref(), Some("body"));
        let mut buf = BytesMut::from(&b"NOT HTTP\r\n\r\n"[..]);
        assert_eq!(parse(&mut buf).err().as_deref(), Some("transport"));
    }
}
