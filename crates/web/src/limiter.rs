//! Who the client is: the peer address, or the address a trusted proxy names in
//! `X-Forwarded-For`. The brakes counted per address are `lentera_app::brakes`.

use std::net::IpAddr;

/// The proxies allowed to name the client in `X-Forwarded-For` (`LENTERA_TRUSTED_PROXIES`:
/// addresses or CIDR ranges, comma-separated). Empty by default: the header is then ignored,
/// since anyone can send it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    /// Parses `10.0.0.1, 192.168.0.0/16, ::1`; the error names the first bad item.
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut out = Vec::new();
        for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (addr, bits) = match item.split_once('/') {
                Some((a, b)) => (a, Some(b)),
                None => (item, None),
            };
            let ip: IpAddr = addr.parse().map_err(|_| item.to_owned())?;
            let max = if ip.is_ipv4() { 32 } else { 128 };
            let bits = match bits {
                Some(b) => b
                    .parse::<u8>()
                    .ok()
                    .filter(|b| *b <= max)
                    .ok_or_else(|| item.to_owned())?,
                None => max,
            };
            // A v4-mapped range (`::ffff:10.0.0.0/104`) is the IPv4 range it maps.
            match ip {
                IpAddr::V6(v6) if bits >= 96 && v6.to_ipv4_mapped().is_some() => {
                    out.push((canonical(ip), bits - 96));
                }
                _ => out.push((ip, bits)),
            }
        }
        Ok(Self(out))
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0
            .iter()
            .any(|(net, bits)| in_range(ip, canonical(*net), *bits))
    }
}

/// IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`) as the IPv4 address they are.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn in_range(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = 32u32
                .checked_sub(u32::from(bits))
                .and_then(|s| u32::MAX.checked_shl(s))
                .unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = 128u32
                .checked_sub(u32::from(bits))
                .and_then(|s| u128::MAX.checked_shl(s))
                .unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

/// The client address: the peer, unless the peer is a trusted proxy; then the nearest address
/// in `X-Forwarded-For` (read from the right) that is not itself a trusted proxy. An entry that
/// is not an address stops the walk at the last one known, so a forged prefix cannot choose
/// the result.
pub fn client_ip(
    peer: std::net::SocketAddr,
    headers: &axum::http::HeaderMap,
    trusted: &TrustedProxies,
) -> IpAddr {
    let mut client = peer.ip();
    if !trusted.contains(client) {
        return client;
    }
    for value in headers.get_all("x-forwarded-for") {
        let Ok(v) = value.to_str() else {
            return client;
        };
        for part in v.rsplit(',') {
            let Ok(ip) = part.trim().parse::<IpAddr>() else {
                return client;
            };
            client = ip;
            if !trusted.contains(ip) {
                return ip;
            }
        }
    }
    client
}

/// The client address of a request, as [`client_ip`] with the installation's proxies.
pub struct ClientIp(pub IpAddr);

impl axum::extract::FromRequestParts<crate::state::AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &crate::state::AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map_or_else(|| std::net::SocketAddr::from(([0, 0, 0, 0], 0)), |c| c.0);
        Ok(Self(client_ip(
            peer,
            &parts.headers,
            &state.web.trusted_proxies,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xff(v: &str) -> axum::http::HeaderMap {
        let mut h = axum::http::HeaderMap::new();
        h.insert("x-forwarded-for", v.parse().expect("header"));
        h
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let none = TrustedProxies::default();
        let local: std::net::SocketAddr = "127.0.0.1:5000".parse().expect("addr");
        // Untrusted loopback: the header is ignored.
        assert_eq!(client_ip(local, &xff("203.0.113.9"), &none), local.ip());
        let trusted = TrustedProxies::parse("127.0.0.1, 10.0.0.0/8").expect("list");
        assert_eq!(
            client_ip(local, &xff("203.0.113.9"), &trusted),
            "203.0.113.9".parse::<IpAddr>().expect("ip")
        );
        // A forged left part is not believed: the nearest untrusted hop is the client.
        assert_eq!(
            client_ip(local, &xff("1.2.3.4, 198.51.100.7, 10.1.2.3"), &trusted),
            "198.51.100.7".parse::<IpAddr>().expect("ip")
        );
        // Garbage stops the walk at the last known address.
        assert_eq!(
            client_ip(local, &xff("nonsense, 10.1.2.3"), &trusted),
            "10.1.2.3".parse::<IpAddr>().expect("ip")
        );
        let other: std::net::SocketAddr = "192.0.2.1:5000".parse().expect("addr");
        assert_eq!(client_ip(other, &xff("203.0.113.9"), &trusted), other.ip());
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
        assert!(TrustedProxies::parse("proxy.local").is_err());
        assert!(
            TrustedProxies::parse("::ffff:127.0.0.1")
                .expect("v6")
                .contains(local.ip())
        );
    }
}
