//! The client's address, for per-address sign-in throttling. Behind a reverse proxy the TCP
//! peer is the proxy, and counting it would let one attacker lock everybody out; so when the
//! peer is in a configured trusted proxy range, the address comes from `X-Forwarded-For` (the
//! right-most entry that is not itself a trusted proxy). Otherwise the header is ignored:
//! clients cannot choose their own address.

use std::net::IpAddr;

use actix_web::HttpRequest;
use ipnet::IpNet;

fn trusted(ip: &IpAddr, proxies: &[IpNet]) -> bool {
    proxies.iter().any(|net| net.contains(ip))
}

pub fn address(req: &HttpRequest, trusted_proxies: &[IpNet]) -> Option<IpAddr> {
    // IPv4 peers of a dual-stack listener arrive as ::ffff:a.b.c.d.
    let peer = req.peer_addr()?.ip().to_canonical();
    if !trusted(&peer, trusted_proxies) {
        return Some(peer);
    }
    // Read leniently: a proxy appends the real address to whatever the client sent, so a
    // header value with a stray non-ASCII byte must still yield the entries on its right.
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect::<Vec<_>>();
    let forwarded = forwarded
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    // From the right: skip our own proxies; the first other entry is the client. An entry
    // that does not parse ends the walk (what lies left of it cannot be trusted either).
    for entry in forwarded.iter().rev() {
        let ip = entry
            .parse::<IpAddr>()
            .ok()
            .or_else(|| entry.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()));
        match ip.map(|ip| ip.to_canonical()) {
            Some(ip) if trusted(&ip, trusted_proxies) => continue,
            Some(ip) => return Some(ip),
            None => return Some(peer),
        }
    }
    Some(peer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn req(peer: &str, xff: Option<&str>) -> HttpRequest {
        let mut r = TestRequest::default().peer_addr(peer.parse().unwrap());
        if let Some(xff) = xff {
            r = r.insert_header(("x-forwarded-for", xff));
        }
        r.to_http_request()
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let proxy: IpNet = "10.0.0.1/32".parse().unwrap();
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        assert_eq!(
            address(&req("10.0.0.1:1", Some("203.0.113.5")), &[proxy]),
            ip("203.0.113.5")
        );
        // A client-supplied first entry is not believed over what the proxy appended.
        assert_eq!(
            address(&req("10.0.0.1:1", Some("1.2.3.4, 203.0.113.5")), &[proxy]),
            ip("203.0.113.5")
        );
        assert_eq!(
            address(&req("198.51.100.9:1", Some("203.0.113.5")), &[proxy]),
            ip("198.51.100.9")
        );
        assert_eq!(address(&req("10.0.0.1:1", None), &[proxy]), ip("10.0.0.1"));
        assert_eq!(
            address(&req("10.0.0.1:1", Some("garbage")), &[proxy]),
            ip("10.0.0.1")
        );
        // A range: every proxy in it is skipped, the client behind them counted.
        let range: IpNet = "10.0.0.0/8".parse().unwrap();
        assert_eq!(
            address(&req("10.1.2.3:1", Some("203.0.113.5, 10.9.9.9")), &[range]),
            ip("203.0.113.5")
        );
        // Entries with ports parse; an unparseable one stops the walk at the proxy.
        assert_eq!(
            address(
                &req("10.1.2.3:1", Some("198.51.100.7, 203.0.113.5:443")),
                &[range]
            ),
            ip("203.0.113.5")
        );
        assert_eq!(
            address(&req("10.1.2.3:1", Some("198.51.100.7, unknown")), &[range]),
            ip("10.1.2.3")
        );
        // A client's junk bytes do not hide the address the proxy appended after them.
        let mut r = TestRequest::default().peer_addr("10.1.2.3:1".parse().unwrap());
        r = r.insert_header((
            "x-forwarded-for",
            actix_web::http::header::HeaderValue::from_bytes(b"\xff\xfe, 203.0.113.9").unwrap(),
        ));
        assert_eq!(address(&r.to_http_request(), &[range]), ip("203.0.113.9"));
        // A dual-stack peer address matches an IPv4 range.
        assert_eq!(
            address(&req("[::ffff:10.1.2.3]:1", Some("203.0.113.5")), &[range]),
            ip("203.0.113.5")
        );
        let v6: IpNet = "2001:db8::/32".parse().unwrap();
        assert_eq!(
            address(
                &req("[2001:db8::7]:1", Some("2001:db8:ffff::1, 198.51.100.1")),
                &[v6]
            ),
            ip("198.51.100.1")
        );
    }
}
