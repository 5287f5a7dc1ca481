//! Seeding: the demo township that `cargo run --release` shows on an empty database, and the
//! first administrator of a real installation. Credentials are random on every install and are
//! written once to a file only the owner can read; nothing secret is committed.

use std::io::Write;

use anyhow::Context;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::accounts::domain::{Role, Scope, check_password, valid_username};
use crate::accounts::store::{self as accounts, NewStaff};
use crate::audit::{self, Action, Actor, Event};
use crate::auth::password::hash_now;
use crate::cli::CreateAdminArgs;
use crate::households::domain::{Status, ValidHousehold, new_pin};
use crate::households::store as households;
use crate::villages::store as places;
use crate::web::AppState;

mod hashing;
use hashing::hash_all;

pub const CREDENTIALS_FILE: &str = "demo-credentials.csv";

struct DemoVillage {
    code: &'static str,
    name: &'static str,
    groups: &'static [&'static str],
    households: usize,
    /// The council members besides `council.{code}` (a realistic council has nine or more).
    council: &'static [&'static str],
    /// The supervision phone printed on the village's A4 notices (a made-up number).
    phone: &'static str,
}

const VILLAGES: [DemoVillage; 2] = [
    DemoVillage {
        code: "taoyuan",
        name: "桃源村",
        groups: &["第一村民小组", "第二村民小组", "第三村民小组"],
        households: 120,
        phone: "0571-8765 4321",
        council: &[
            "张桂兰",
            "李志强",
            "王海燕",
            "刘德福",
            "陈玉兰",
            "杨国华",
            "黄春生",
            "赵淑芬",
        ],
    },
    DemoVillage {
        code: "qingxi",
        name: "清溪村",
        groups: &["上湾组", "下湾组"],
        households: 80,
        phone: "0571-8765 4322",
        council: &[
            "周立新",
            "吴金凤",
            "徐永亮",
            "孙红梅",
            "马建国",
            "朱秀英",
            "胡小平",
            "郭明",
        ],
    },
];

const SURNAMES: &[char] = &[
    '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭',
];
const GIVEN: &[&str] = &[
    "建国", "秀英", "桂兰", "志强", "海燕", "明", "红梅", "德福", "玉兰", "国华", "小平", "春生",
    "淑芬", "立新", "金凤", "永亮",
];

/// A random password that passes the complexity rule.
pub fn random_password(rng: &mut impl Rng) -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    loop {
        let core: String = (0..12)
            .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
            .collect();
        let candidate = format!("{core}-{}", rng.random_range(10..100));
        if check_password(&candidate, "").is_ok() {
            return candidate;
        }
    }
}

struct DemoStaff {
    username: String,
    display_name: String,
    role: Role,
    /// None: the township; Some(i): VILLAGES[i].
    village: Option<usize>,
}

fn demo_staff() -> Vec<DemoStaff> {
    let mut staff = vec![
        DemoStaff {
            username: "admin".into(),
            display_name: "系统管理员".into(),
            role: Role::Admin,
            village: None,
        },
        DemoStaff {
            username: "auditor".into(),
            display_name: "审计 钱审".into(),
            role: Role::Auditor,
            village: None,
        },
    ];
    for (i, v) in VILLAGES.iter().enumerate() {
        for (prefix, name, role) in [
            ("clerk", "文书", Role::Clerk),
            ("clerk2", "文书二", Role::Clerk),
            ("council", "议事会成员", Role::CouncilMember),
            ("supervisor", "监事会成员", Role::Supervisor),
        ] {
            staff.push(DemoStaff {
                username: format!("{prefix}.{}", v.code),
                display_name: format!("{}{name}", v.name),
                role,
                village: Some(i),
            });
        }
        // The rest of the council: `council2.{code}` … `council9.{code}`, named people.
        for (n, name) in v.council.iter().enumerate() {
            staff.push(DemoStaff {
                username: format!("council{}.{}", n + 2, v.code),
                display_name: (*name).to_string(),
                role: Role::CouncilMember,
                village: Some(i),
            });
        }
    }
    staff
}

/// Seeds the demo township unless one exists, and writes the credentials file.
pub fn seed(state: &AppState, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut conn = state.db.pool().get()?;
    if places::find_township(&mut conn, "shifan")?.is_some() {
        writeln!(
            out,
            "minyi demo: the demo township exists already; nothing to do"
        )?;
        return Ok(());
    }
    let path = state.settings.data_dir.join(CREDENTIALS_FILE);
    let mut rng = StdRng::from_os_rng();
    // Names and sizes are the same on every install; secrets are not.
    let mut names = StdRng::seed_from_u64(2026);
    let staff = demo_staff();
    let passwords: Vec<String> = staff.iter().map(|_| random_password(&mut rng)).collect();
    let mut plan = Vec::new(); // (village index, ValidHousehold without group id, group index, pin)
    for (vi, v) in VILLAGES.iter().enumerate() {
        for n in 0..v.households {
            let gi = n % v.groups.len();
            let name = format!(
                "{}{}",
                SURNAMES[names.random_range(0..SURNAMES.len())],
                GIVEN[names.random_range(0..GIVEN.len())]
            );
            let members = names.random_range(1..=6);
            plan.push((
                vi,
                gi,
                format!("{:02}{:02}", gi + 1, n / v.groups.len() + 1),
                name,
                members,
                new_pin(&mut rng),
            ));
        }
    }
    let mut secrets: Vec<String> = passwords.clone();
    secrets.extend(plan.iter().map(|p| p.5.clone()));
    let hashes = hash_all(state.settings.password_cost, &secrets, out)?;
    let (staff_hashes, pin_hashes) = hashes.split_at(staff.len());

    let mut file = crate::secrets::create_private(&path)
        .context("the demo credentials file exists; move it away to seed again")?;
    diesel::Connection::transaction(&mut *conn, |conn| {
        let township = places::create_township(conn, "shifan", "示范镇")?;
        let mut village_ids = Vec::new();
        let mut group_ids = Vec::new();
        for v in &VILLAGES {
            let id = places::create_village(conn, township, v.code, v.name)?;
            places::set_supervision_phone(conn, id, v.phone)?;
            village_ids.push(id);
            group_ids.push(
                v.groups
                    .iter()
                    .map(|g| places::create_group(conn, id, g))
                    .collect::<Result<Vec<_>, _>>()?,
            );
        }
        for (member, hash) in staff.iter().zip(staff_hashes) {
            let new = NewStaff {
                username: &member.username,
                display_name: &member.display_name,
                email: None,
                password_hash: hash,
            };
            let id = accounts::create(conn, &new)?.context("demo username taken")?;
            let scope = member.village.map_or(Scope::Township(township), |i| {
                Scope::Village(village_ids[i])
            });
            accounts::assign(conn, id, member.role, scope)?;
        }
        for ((vi, gi, number, name, members, _), hash) in plan.iter().zip(pin_hashes) {
            let household = ValidHousehold {
                number: number.clone(),
                head_name: name.clone(),
                members: *members,
                group_id: group_ids[*vi][*gi],
                status: Status::Active,
            };
            households::create(conn, village_ids[*vi], &household, hash)?
                .context("demo 户号 taken")?;
        }
        audit::record(
            conn,
            Event::ok(
                Actor::System,
                Action::DemoSeed,
                format!("township:{township}"),
            )
            .in_township(township)
            .detail(format!("households={}", plan.len())),
        )?;
        Ok::<_, anyhow::Error>(())
    })?;

    // The year's round first: the projects' candidates are sorted from its suggestions.
    let taoyuan = places::find_village(&mut conn, VILLAGES[0].code)?.context("demo village")?;
    crate::collection::demo::seed(&mut conn, &taoyuan)?;
    crate::projects::demo::seed(&mut conn, "taoyuan")?;
    crate::council::demo::seed(&mut conn, "taoyuan")?;
    // After the projects and the council's meeting: the open review of the half-year lists the
    // projects and the passed resolutions as items.
    crate::db::in_transaction(&mut conn, |c| crate::reviews::demo::seed(c, &taoyuan))
        .map_err(|e| anyhow::anyhow!("demo reviews: {e}"))?;
    // UTF-8 with BOM so spreadsheet programs read the Chinese correctly.
    let mut csv = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    csv.write_record(["kind", "village", "login", "secret", "role"])?;
    for (member, password) in staff.iter().zip(&passwords) {
        let village = member.village.map_or("", |i| VILLAGES[i].code);
        csv.write_record([
            "staff",
            village,
            &member.username,
            password,
            member.role.as_str(),
        ])?;
    }
    for (vi, _, number, _, _, pin) in &plan {
        csv.write_record(["household", VILLAGES[*vi].code, number, pin, ""])?;
    }
    file.write_all(&csv.into_inner()?)?;
    writeln!(
        out,
        "minyi demo: seeded 示范镇 with {} villages and {} households",
        VILLAGES.len(),
        plan.len()
    )?;
    writeln!(
        out,
        "minyi demo: staff passwords and household PINs are in {}",
        path.display()
    )?;
    crate::ledger::seed::seed(&mut conn, &state.settings, VILLAGES[0].code, out)?;
    Ok(())
}

/// Creates an administrator (and the township if asked) and prints the one-time password.
pub fn create_admin(
    state: &AppState,
    args: &CreateAdminArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    anyhow::ensure!(
        valid_username(&args.username),
        "usernames are 3-32 of a-z, 0-9, '.', '_', '-', starting with a letter"
    );
    let password = random_password(&mut StdRng::from_os_rng());
    let hash = hash_now(state.settings.password_cost, &password)?;
    let mut conn = state.db.pool().get()?;
    diesel::Connection::transaction(&mut *conn, |conn| {
        let township = match places::find_township(conn, &args.township_code)? {
            Some(id) => id,
            None => {
                let name = args
                    .township_name
                    .as_deref()
                    .context("no such township; give --township-name to create it")?;
                places::create_township(conn, &args.township_code, name)?
            }
        };
        let new = NewStaff {
            username: &args.username,
            display_name: &args.display_name,
            email: None,
            password_hash: &hash,
        };
        let id = accounts::create(conn, &new)?.context("that username is taken")?;
        accounts::assign(conn, id, Role::Admin, Scope::Township(township))?;
        // A one-time password: replaced at the first sign-in.
        crate::accounts::admin::require_password_change(conn, id)?;
        audit::record(
            conn,
            Event::ok(
                Actor::System,
                Action::StaffCreateAdmin,
                format!("staff:{id}"),
            )
            .in_township(township),
        )?;
        Ok::<_, anyhow::Error>(())
    })?;
    writeln!(
        out,
        "minyi: created administrator {}; one-time password: {password}",
        args.username
    )?;
    writeln!(
        out,
        "minyi: sign in at /login and change it at /staff/password"
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_passwords_pass_the_rule() {
        let mut rng = rand::rng();
        for _ in 0..200 {
            let p = random_password(&mut rng);
            assert_eq!(check_password(&p, "admin"), Ok(()), "{p}");
        }
    }

    #[test]
    fn demo_councils_have_nine_members() {
        let staff = demo_staff();
        for (i, v) in VILLAGES.iter().enumerate() {
            let council: Vec<&DemoStaff> = staff
                .iter()
                .filter(|s| s.role == Role::CouncilMember && s.village == Some(i))
                .collect();
            assert!(council.len() >= 9, "{}: {} members", v.code, council.len());
            assert!(
                council
                    .iter()
                    .any(|s| s.username == format!("council.{}", v.code))
            );
        }
        let mut names: Vec<&str> = staff.iter().map(|s| s.username.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), staff.len(), "usernames are unique");
    }

    #[test]
    fn demo_has_one_account_per_role() {
        let staff = demo_staff();
        for role in Role::ALL {
            assert!(staff.iter().any(|s| s.role == role), "{role}");
        }
        assert!(
            staff.iter().all(|s| valid_username(&s.username)),
            "usernames are valid"
        );
    }
}
