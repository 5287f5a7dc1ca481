//! The client's network address, for throttling and the audit log.

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use super::AppState;

/// The address a request came from: the socket peer, or the first `X-Forwarded-For` hop when
/// the settings say a trusted load balancer sits in front.
#[derive(Clone, Debug)]
pub struct ClientAddr(pub String);

impl FromRequest for ClientAddr {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let trust_proxy = req
            .app_data::<web::Data<AppState>>()
            .is_some_and(|state| state.settings.trust_proxy);
        let info = req.connection_info();
        let addr = if trust_proxy {
            info.realip_remote_addr().map(str::to_string)
        } else {
            req.peer_addr().map(|a| a.ip().to_string())
        };
        let addr = addr.unwrap_or_else(|| "unknown".to_string());
        // realip may carry a port; the throttle and the audit want the host only.
        let host = addr
            .parse::<std::net::SocketAddr>()
            .map(|s| s.ip().to_string())
            .unwrap_or(addr);
        ready(Ok(ClientAddr(host)))
    }
}
