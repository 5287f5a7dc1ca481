//! Authorization on the server for every staff route: one extractor per role. A handler that
//! takes `Clerk` cannot run unless the signed-in staff member holds the clerk role over the
//! village named in the path; `Admin` and `AuditReader` need the role at township level.
//! Anonymous GETs are sent to the login page; everything else is refused with 403. An account
//! whose password was set by someone else (one-time or reset) reaches nothing but the
//! password page until it has chosen its own.

use std::marker::PhantomData;

use actix_session::SessionExt;
use actix_web::{FromRequest, HttpRequest, dev::Payload, http::Method, web};
use futures_util::future::LocalBoxFuture;

use super::AppState;
use super::page::idle_limits;
use super::session::{self, Who};
use crate::accounts::domain::{Assignment, Place, Role, grants, townships_with};
use crate::accounts::store as accounts_store;
use crate::error::AppError;
use crate::villages::store::{self as villages_store, VillageRef};

/// A signed-in, active staff member with their role assignments.
#[derive(Clone, Debug)]
pub struct StaffUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub assignments: Vec<Assignment>,
    /// The password was set by someone else and must be replaced before anything else.
    pub must_change_password: bool,
    /// An administrator or auditor without a second factor yet (when the settings require it,
    /// enrolment comes before anything else).
    pub must_enrol_second_factor: bool,
}

impl StaffUser {
    pub fn holds(&self, roles: &[Role], place: Place) -> bool {
        grants(&self.assignments, roles, place)
    }
}

/// The roles a guard accepts.
pub trait RoleSet {
    const ROLES: &'static [Role];
}

macro_rules! role_set {
    ($name:ident, $($role:expr),+) => {
        #[derive(Debug)]
        pub struct $name;
        impl RoleSet for $name {
            const ROLES: &'static [Role] = &[$($role),+];
        }
    };
}

role_set!(ClerkRole, Role::Clerk);
role_set!(CouncilRole, Role::CouncilMember);
role_set!(SupervisorRole, Role::Supervisor);
role_set!(AdminRole, Role::Admin);
role_set!(AuditReaderRoles, Role::Auditor, Role::Admin);
role_set!(SortingRoles, Role::Clerk, Role::CouncilMember);
role_set!(ProjectRoles, Role::Clerk, Role::Supervisor);

/// Staff holding one of `R::ROLES` over the village whose code is the `{village}` path segment.
#[derive(Debug)]
pub struct VillageStaff<R> {
    pub staff: StaffUser,
    pub village: VillageRef,
    role: PhantomData<R>,
}

/// Staff holding one of `R::ROLES` at township level, with the townships where they hold it.
#[derive(Debug)]
pub struct TownshipStaff<R> {
    pub staff: StaffUser,
    pub townships: Vec<i64>,
    role: PhantomData<R>,
}

pub type Clerk = VillageStaff<ClerkRole>;
pub type CouncilMember = VillageStaff<CouncilRole>;
pub type Supervisor = VillageStaff<SupervisorRole>;
pub type Admin = TownshipStaff<AdminRole>;
pub type AuditReader = TownshipStaff<AuditReaderRoles>;
/// Clerks and council members sort suggestions into candidate projects.
pub type Sorter = VillageStaff<SortingRoles>;
/// Clerks run projects; supervisors inspect them.
pub type ProjectStaff = VillageStaff<ProjectRoles>;

fn state(req: &HttpRequest) -> Result<web::Data<AppState>, AppError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("app state missing")))
}

fn refusal(req: &HttpRequest) -> AppError {
    if req.method() == Method::GET {
        let next = match req.query_string() {
            "" => req.path().to_string(),
            q => format!("{}?{q}", req.path()),
        };
        AppError::LoginRequired {
            login_path: "/login".into(),
            next,
        }
    } else {
        AppError::Forbidden
    }
}

/// The one page an account with a password set by someone else may use.
pub const PASSWORD_PAGE: &str = "/staff/password";
/// Where staff enrol a second factor.
pub const TWO_FACTOR_PAGE: &str = "/staff/2fa";

/// The page an account must visit before any other, if any: the password page while its
/// password was set by someone else, then the enrolment page while it must enrol a second
/// factor. (The password page stays open during enrolment.)
fn first_page(staff: &StaffUser, require_two_factor: bool) -> Option<&'static str> {
    if staff.must_change_password {
        Some(PASSWORD_PAGE)
    } else if require_two_factor && staff.must_enrol_second_factor {
        Some(TWO_FACTOR_PAGE)
    } else {
        None
    }
}

async fn signed_in_staff(req: &HttpRequest) -> Result<StaffUser, AppError> {
    let state = state(req)?;
    let session = req.get_session();
    let Some(Who::Staff { id, .. }) = session::current(&session, &idle_limits(&state.settings))
    else {
        return Err(refusal(req));
    };
    let found = state
        .db
        .run(move |conn| accounts_store::load_active_staff(conn, id))
        .await?;
    let first = found
        .as_ref()
        .and_then(|staff| first_page(staff, state.settings.require_two_factor))
        .filter(|page| req.path() != *page && req.path() != PASSWORD_PAGE);
    if let Some(page) = first {
        return Err(if req.method() == Method::GET {
            AppError::LoginRequired {
                login_path: page.into(),
                next: "/staff".into(),
            }
        } else {
            AppError::Forbidden
        });
    }
    match found {
        Some(staff) => Ok(staff),
        None => {
            // Deactivated while signed in: the session ends now.
            session::sign_out(&session);
            Err(refusal(req))
        }
    }
}

impl FromRequest for StaffUser {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { signed_in_staff(&req).await })
    }
}

impl<R: RoleSet + 'static> FromRequest for VillageStaff<R> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let staff = signed_in_staff(&req).await?;
            let code = req
                .match_info()
                .get("village")
                .unwrap_or_default()
                .to_string();
            let state = state(&req)?;
            let village = state
                .db
                .run(move |conn| villages_store::find_village(conn, &code))
                .await?
                .ok_or(AppError::NotFound)?;
            if !staff.holds(R::ROLES, Place::village(village.township_id, village.id)) {
                return Err(AppError::Forbidden);
            }
            Ok(VillageStaff {
                staff,
                village,
                role: PhantomData,
            })
        })
    }
}

impl<R: RoleSet + 'static> FromRequest for TownshipStaff<R> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let staff = signed_in_staff(&req).await?;
            let townships = townships_with(&staff.assignments, R::ROLES);
            if townships.is_empty() {
                return Err(AppError::Forbidden);
            }
            Ok(TownshipStaff {
                staff,
                townships,
                role: PhantomData,
            })
        })
    }
}
