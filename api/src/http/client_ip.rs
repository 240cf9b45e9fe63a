//! The client's address, for per-IP rate limits. Behind our nginx (and only when told to
//! trust it) that is the last `X-Forwarded-For` entry, the one nginx itself appended;
//! earlier entries are whatever the client chose to send.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;

pub fn client_ip(headers: &HeaderMap, peer: SocketAddr, trust_forwarded_for: bool) -> IpAddr {
    if trust_forwarded_for
        && let Some(ip) = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|part| part.trim().parse::<IpAddr>().ok())
            .next_back()
    {
        return ip;
    }
    peer.ip()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in xff {
            map.append("x-forwarded-for", v.parse().expect("header"));
        }
        map
    }

    #[test]
    fn forwarded_for_counts_only_when_trusted_and_only_its_last_entry() {
        let peer: SocketAddr = "10.0.0.5:4000".parse().expect("addr");
        let h = headers(&["1.1.1.1, 203.0.113.7"]);
        assert_eq!(client_ip(&h, peer, false), peer.ip());
        assert_eq!(
            client_ip(&h, peer, true),
            "203.0.113.7".parse::<IpAddr>().expect("ip")
        );
        assert_eq!(client_ip(&headers(&["garbage"]), peer, true), peer.ip());
        assert_eq!(
            client_ip(&headers(&["1.1.1.1", "2001:db8::1"]), peer, true),
            "2001:db8::1".parse::<IpAddr>().expect("ip")
        );
    }
}
