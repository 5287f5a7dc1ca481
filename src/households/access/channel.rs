//! The two ways a household reaches its pages, the shared kiosk and its own phone: where each
//! channel's pages live and how its pages are dressed.

use crate::web::AppState;
use crate::web::page::Page;
use crate::web::session::Who;

/// Where a household is signing in from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Kiosk,
    Phone,
}

/// Read from the request path: `/kiosk/…` is the kiosk, anything else a household's own device.
impl actix_web::FromRequest for Channel {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let channel = if req.path().starts_with("/kiosk/") {
            Channel::Kiosk
        } else {
            Channel::Phone
        };
        std::future::ready(Ok(channel))
    }
}

impl Channel {
    /// Where this channel's pages for a village live: `/kiosk/{village}` or `/v/{village}`.
    pub fn base(self, village: &str) -> String {
        match self {
            Channel::Kiosk => format!("/kiosk/{village}"),
            Channel::Phone => format!("/v/{village}"),
        }
    }

    /// The household signed in through this channel for this village, if any.
    pub fn household(self, p: &Page, village_id: i64) -> Option<i64> {
        match &p.who {
            Some(Who::Household {
                id,
                village_id: v,
                kiosk,
                ..
            }) if *v == village_id && *kiosk == (self == Channel::Kiosk) => Some(*id),
            _ => None,
        }
    }

    pub fn start(self, village: &str) -> String {
        match self {
            Channel::Kiosk => format!("/kiosk/{village}"),
            Channel::Phone => format!("/v/{village}/login"),
        }
    }
    pub fn login_action(self, village: &str) -> String {
        match self {
            Channel::Kiosk => format!("/kiosk/{village}/login"),
            Channel::Phone => format!("/v/{village}/login"),
        }
    }
    pub fn home(self, village: &str) -> String {
        match self {
            Channel::Kiosk => format!("/kiosk/{village}/home"),
            Channel::Phone => format!("/v/{village}/me"),
        }
    }
    pub fn logout(self, village: &str) -> String {
        match self {
            Channel::Kiosk => format!("/kiosk/{village}/logout"),
            Channel::Phone => format!("/v/{village}/logout"),
        }
    }
    pub fn audit_name(self) -> &'static str {
        match self {
            Channel::Kiosk => "kiosk",
            Channel::Phone => "phone",
        }
    }
    /// Kiosk pages with a ballot being written return to the start screen after the longer
    /// form timeout; phones are unchanged.
    pub fn dress_form(self, p: Page, state: &AppState, village: &str) -> Page {
        match self {
            Channel::Kiosk => p.at_kiosk(village, state.settings.kiosk_form_timeout.as_secs()),
            Channel::Phone => p,
        }
    }

    /// Kiosk pages wear kiosk chrome (big targets, automatic return to the start screen).
    pub fn dress(self, p: Page, state: &AppState, village: &str) -> Page {
        match self {
            Channel::Kiosk => p.at_kiosk(village, state.settings.kiosk_idle_timeout.as_secs()),
            Channel::Phone => p,
        }
    }
}
