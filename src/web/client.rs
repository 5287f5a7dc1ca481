//! The client's network address, for throttling and the audit log.

use std::future::{Ready, ready};
use std::net::{IpAddr, SocketAddr};

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use super::AppState;

/// The address a request came from: the socket peer, or, when the settings say trusted
/// proxies sit in front (`--trust-proxy`, `--proxy-hops N`), the address the outermost trusted
/// proxy appended to `X-Forwarded-For`.
#[derive(Clone, Debug)]
pub struct ClientAddr(pub String);

/// The client address in `X-Forwarded-For` values (every header line, in order) behind `hops`
/// trusted proxies: each proxy appends the address it received the request from, so the
/// `hops`-th entry from the right was written by the outermost trusted proxy. Entries further
/// left were sent by the client itself and are never used. None when the header has fewer
/// entries than trusted proxies, or that entry is not an address.
pub fn forwarded_client(values: &[&str], hops: usize) -> Option<String> {
    let entries: Vec<&str> = values
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let hops = hops.max(1);
    let entry = *entries
        .len()
        .checked_sub(hops)
        .and_then(|i| entries.get(i))?;
    host_of(entry)
}

/// The host of an address written as `1.2.3.4`, `1.2.3.4:5678`, `::1` or `[::1]:5678`.
fn host_of(text: &str) -> Option<String> {
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some(ip.to_string());
    }
    text.parse::<SocketAddr>().ok().map(|s| s.ip().to_string())
}

impl FromRequest for ClientAddr {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let settings = req
            .app_data::<web::Data<AppState>>()
            .map(|state| (state.settings.trust_proxy, state.settings.proxy_hops));
        let peer = req.peer_addr().map(|a| a.ip().to_string());
        let forwarded = match settings {
            Some((true, hops)) => {
                let values: Vec<&str> = req
                    .headers()
                    .get_all("x-forwarded-for")
                    .filter_map(|v| v.to_str().ok())
                    .collect();
                forwarded_client(&values, hops)
            }
            _ => None,
        };
        let addr = forwarded.or(peer).unwrap_or_else(|| "unknown".to_string());
        ready(Ok(ClientAddr(addr)))
    }
}

#[cfg(test)]
mod tests {
    use super::forwarded_client;

    #[test]
    fn one_trusted_proxy_takes_the_address_it_appended_not_the_clients_own() {
        // The client sent "6.6.6.6"; the proxy appended the real peer 203.0.113.7.
        assert_eq!(
            forwarded_client(&["6.6.6.6, 203.0.113.7"], 1).as_deref(),
            Some("203.0.113.7")
        );
        assert_eq!(
            forwarded_client(&["6.6.6.6", "203.0.113.7"], 1).as_deref(),
            Some("203.0.113.7"),
            "several header lines count as one list"
        );
    }

    #[test]
    fn two_hops_take_the_second_from_the_right() {
        assert_eq!(
            forwarded_client(&["6.6.6.6, 203.0.113.7, 10.0.0.2"], 2).as_deref(),
            Some("203.0.113.7")
        );
        assert_eq!(forwarded_client(&["10.0.0.2"], 2), None);
    }

    #[test]
    fn ports_and_garbage() {
        assert_eq!(
            forwarded_client(&["[2001:db8::1]:443"], 1).as_deref(),
            Some("2001:db8::1")
        );
        assert_eq!(
            forwarded_client(&["1.2.3.4:80"], 1).as_deref(),
            Some("1.2.3.4")
        );
        assert_eq!(forwarded_client(&["not-an-address"], 1), None);
        assert_eq!(forwarded_client(&[], 1), None);
    }
}
