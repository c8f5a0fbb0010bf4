//! The buyer's (or merchant's) address behind reverse proxies
//! (`--trusted-proxies`, issue #20).
//!
//! The connection's peer is the client unless it is a trusted proxy. Then
//! the proxy's forwarding header says who it forwarded for: `Forwarded`
//! (RFC 7239) if present, else `X-Forwarded-For`. Its list is read from
//! the right — the hop nearest to Cashier first — skipping addresses that
//! are themselves trusted proxies; the first other address is the client.
//! Everything left of it was written by the client and proves nothing, so
//! a client cannot pick the address it is limited by. A connection from an
//! address that is not trusted is taken as it is: its forwarding headers
//! are ignored. An element that is not an address (`unknown`, an
//! obfuscated `_node` name, garbage) stops the walk, and the last trusted
//! hop's view — the nearest proxy's own address — is used.
//!
//! [`resolve`] runs before every route and stores the answer as
//! [`ClientAddr`]; the rate limits, the login throttle and the logs read it.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;

/// The client's address, as [`resolve`] found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// Parses `--trusted-proxies`: comma-separated CIDRs or single addresses.
pub fn parse_trusted_proxies(list: &str) -> Result<Vec<IpNet>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpNet>()
                .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                .map(|net| net.trunc())
                .map_err(|_| {
                    format!("{s:?} is not an IP address or CIDR block (e.g. 10.0.0.0/8, ::1)")
                })
        })
        .collect()
}

fn canonical(ip: IpAddr) -> IpAddr {
    ip.to_canonical()
}

fn trusted(ip: IpAddr, proxies: &[IpNet]) -> bool {
    proxies.iter().any(|net| net.contains(&ip))
}

/// The client address of a connection from `peer` carrying `headers`.
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, proxies: &[IpNet]) -> IpAddr {
    let peer = canonical(peer);
    if !trusted(peer, proxies) {
        return peer;
    }
    let hops = forwarded_for(headers).or_else(|| x_forwarded_for(headers));
    let Some(hops) = hops else {
        return peer;
    };
    let mut nearest = peer;
    for hop in hops.iter().rev() {
        match hop {
            Some(ip) if trusted(*ip, proxies) => nearest = *ip,
            Some(ip) => return *ip,
            None => return nearest,
        }
    }
    // Every hop is a trusted proxy: the leftmost one is as far as it goes.
    nearest
}

/// Values of every `name` header line, joined as one list.
fn joined(headers: &HeaderMap, name: &str) -> Option<String> {
    let values: Vec<&str> = headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().ok())
        .collect::<Option<_>>()?;
    (!values.is_empty()).then(|| values.join(","))
}

/// The `for=` of each element of `Forwarded`, in order; `None` for an
/// element without a usable address.
fn forwarded_for(headers: &HeaderMap) -> Option<Vec<Option<IpAddr>>> {
    let text = joined(headers, "forwarded")?;
    Some(
        text.split(',')
            .map(|element| {
                element.split(';').find_map(|pair| {
                    let (k, v) = pair.split_once('=')?;
                    k.trim()
                        .eq_ignore_ascii_case("for")
                        .then(|| node(v.trim()))?
                })
            })
            .collect(),
    )
}

fn x_forwarded_for(headers: &HeaderMap) -> Option<Vec<Option<IpAddr>>> {
    let text = joined(headers, "x-forwarded-for")?;
    Some(text.split(',').map(|v| node(v.trim())).collect())
}

/// An address in a forwarding header: `192.0.2.1`, `192.0.2.1:4711`,
/// `"[2001:db8::1]:4711"`, `2001:db8::1`.
fn node(value: &str) -> Option<IpAddr> {
    let v = value.trim_matches('"');
    if let Ok(ip) = v.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Ok(sa) = v.parse::<SocketAddr>() {
        return Some(canonical(sa.ip()));
    }
    let inner = v.strip_prefix('[')?.split(']').next()?;
    inner.parse::<IpAddr>().ok().map(canonical)
}

/// Middleware: stores the request's [`ClientAddr`].
pub async fn resolve(
    State(trusted_proxies): State<Arc<[IpNet]>>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    if let Some(peer) = peer {
        let ip = client_ip(peer, request.headers(), &trusted_proxies);
        request.extensions_mut().insert(ClientAddr(ip));
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn untrusted_peers_are_taken_as_they_are() {
        let proxies = parse_trusted_proxies("10.0.0.0/8").unwrap();
        let spoofed = headers(&[
            ("x-forwarded-for", "203.0.113.9"),
            ("forwarded", "for=198.51.100.1"),
        ]);
        assert_eq!(
            client_ip(ip("192.0.2.7"), &spoofed, &proxies),
            ip("192.0.2.7")
        );
        assert_eq!(client_ip(ip("192.0.2.7"), &spoofed, &[]), ip("192.0.2.7"));
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        let proxies = parse_trusted_proxies("10.0.0.0/8, 127.0.0.1").unwrap();
        let h = headers(&[("x-forwarded-for", "1.1.1.1, 203.0.113.9, 10.0.0.3")]);
        assert_eq!(
            client_ip(ip("127.0.0.1"), &h, &proxies),
            ip("203.0.113.9"),
            "the client's own 1.1.1.1 is not believed"
        );
        // Several header lines are one list.
        let h = headers(&[
            ("x-forwarded-for", "1.1.1.1"),
            ("x-forwarded-for", "203.0.113.9"),
        ]);
        assert_eq!(client_ip(ip("10.1.2.3"), &h, &proxies), ip("203.0.113.9"));
        // No header: the proxy itself.
        assert_eq!(
            client_ip(ip("10.1.2.3"), &HeaderMap::new(), &proxies),
            ip("10.1.2.3")
        );
    }

    #[test]
    fn forwarded_wins_and_its_spellings_are_read() {
        let proxies = parse_trusted_proxies("127.0.0.0/8,::1").unwrap();
        for (value, want) in [
            ("for=192.0.2.60;proto=http;by=203.0.113.43", "192.0.2.60"),
            ("For=\"[2001:db8:cafe::17]:4711\"", "2001:db8:cafe::17"),
            ("for=198.51.100.2:8080", "198.51.100.2"),
            ("for=1.1.1.1, for=192.0.2.60", "192.0.2.60"),
            ("for=192.0.2.60, for=127.0.0.1", "192.0.2.60"),
            ("for=unknown", "127.0.0.1"),
            ("for=192.0.2.60, for=_hidden", "127.0.0.1"),
            ("proto=https", "127.0.0.1"),
        ] {
            let h = headers(&[("forwarded", value), ("x-forwarded-for", "203.0.113.200")]);
            assert_eq!(
                client_ip(ip("127.0.0.1"), &h, &proxies),
                ip(want),
                "{value}"
            );
        }
        // An IPv4-mapped peer is its IPv4 address.
        let h = headers(&[("x-forwarded-for", "192.0.2.60")]);
        assert_eq!(
            client_ip(ip("::ffff:127.0.0.1"), &h, &proxies),
            ip("192.0.2.60")
        );
    }

    #[test]
    fn proxy_lists_are_checked() {
        assert_eq!(
            parse_trusted_proxies(" 10.0.0.0/8 ,192.168.1.1,fd00::/8")
                .unwrap()
                .len(),
            3
        );
        assert!(parse_trusted_proxies("").unwrap().is_empty());
        for bad in ["10.0.0.0/33", "proxy.example", "10.0.0.0/8;1.2.3.4"] {
            let e = parse_trusted_proxies(bad).unwrap_err();
            assert!(e.contains("CIDR"), "{bad}: {e}");
        }
    }
}
